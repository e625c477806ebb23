#!/usr/bin/env node
// Builds the grafana shell bundle of a runtime (runtimes.mjs) into
// tests/.artifacts/browser/<runtime>/shell/ with the repository's webpack.
// Usage: node tests/browser/build-shell.mjs [12.4|13.2]
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import webpack from 'webpack';

import { artifactsDir, runtime } from './runtimes.mjs';
import { shellConfig } from './shell/webpack.config.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** shellDir is where runtime r's shell bundle is built. */
export function shellDir(r) {
  return path.join(artifactsDir(r), 'shell');
}

/**
 * shellIsFresh reports whether runtime r's shell.js is newer than every
 * shell source and than the installed packages (the lockfiles), so a rebuild
 * would give the same bundle.
 */
export function shellIsFresh(r) {
  const outDir = shellDir(r);
  const bundle = path.join(outDir, 'shell.js');
  if (!existsSync(bundle)) {
    return false;
  }
  const built = statSync(bundle).mtimeMs;
  const sources = path.join(root, 'tests', 'browser', 'shell');
  const inputs = [
    ...readdirSync(sources).map((f) => path.join(sources, f)),
    path.join(root, 'tests', 'browser', 'runtimes.mjs'),
    path.join(root, 'package-lock.json'),
    path.join(root, 'node_modules', '.package-lock.json'),
  ];
  if (r.packageDir) {
    inputs.push(path.join(r.packageDir, 'package-lock.json'), path.join(r.installDir, 'node_modules', '.package-lock.json'));
  }
  return inputs.every((f) => !existsSync(f) || statSync(f).mtimeMs < built);
}

/** Builds runtime r's shell; resolves with its output directory. */
export function buildShell(r) {
  const outDir = shellDir(r);
  return new Promise((resolve, reject) => {
    webpack(shellConfig(root, outDir, r), (err, stats) => {
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
        console.warn(`shell ${r.name}: ${stats.compilation.warnings.length} webpack warnings (set SHELL_WARNINGS=1 to print them)`);
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
  buildShell(runtime(process.argv[2] ?? '12.4'))
    .then((out) => console.log(`shell built in ${((Date.now() - started) / 1000).toFixed(1)}s: ${out}`))
    .catch((err) => {
      console.error(err.message ?? err);
      process.exit(1);
    });
}
