#!/usr/bin/env node
// Builds the grafana shell bundle into tests/.artifacts/browser/shell/ with
// the repository's webpack. Usage: node tests/browser/build-shell.mjs
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import webpack from 'webpack';

import { shellConfig } from './shell/webpack.config.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * shellIsFresh reports whether outDir/shell.js is newer than every shell
 * source and than the installed packages (package-lock.json), so a rebuild
 * would give the same bundle.
 */
export function shellIsFresh(outDir = path.join(root, 'tests', '.artifacts', 'browser', 'shell')) {
  const bundle = path.join(outDir, 'shell.js');
  if (!existsSync(bundle)) {
    return false;
  }
  const built = statSync(bundle).mtimeMs;
  const shellDir = path.join(root, 'tests', 'browser', 'shell');
  const inputs = [
    ...readdirSync(shellDir).map((f) => path.join(shellDir, f)),
    path.join(root, 'package-lock.json'),
    path.join(root, 'node_modules', '.package-lock.json'),
  ];
  return inputs.every((f) => !existsSync(f) || statSync(f).mtimeMs < built);
}

/** Builds the shell; resolves with its output directory. */
export function buildShell(outDir = path.join(root, 'tests', '.artifacts', 'browser', 'shell')) {
  return new Promise((resolve, reject) => {
    webpack(shellConfig(root, outDir), (err, stats) => {
      if (err) {
        reject(err);
        return;
      }
      if (stats.hasErrors()) {
        reject(new Error(stats.toString('errors-only')));
        return;
      }
      if (stats.hasWarnings()) {
        // react-router-dom-v5-compat's imports of react-router v6 names (unused here)
        console.warn(`shell: ${stats.compilation.warnings.length} webpack warnings (set SHELL_WARNINGS=1 to print them)`);
        if (process.env.SHELL_WARNINGS) {
          console.warn(stats.toString('errors-warnings'));
        }
      }
      resolve(outDir);
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  buildShell()
    .then((out) => console.log(`shell built in ${((Date.now() - started) / 1000).toFixed(1)}s: ${out}`))
    .catch((err) => {
      console.error(err.message ?? err);
      process.exit(1);
    });
}
