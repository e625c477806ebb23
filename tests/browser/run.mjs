#!/usr/bin/env node
// `npm run test:browser`: builds what is missing (dist/ via `npm run build`,
// the backend binary via the host), builds the grafana shell bundle and the
// test host, starts the host (plugin binary + simulator), runs the browser
// specs with node's test runner against it, stops the host, and exits
// non-zero on any failure.
//
// Options: --rebuild  rebuild dist/ even if present
//          --tap FILE also write the TAP report to FILE (scripts/test.sh tallies it)
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

import { buildShell, shellIsFresh } from './build-shell.mjs';
import { writeSelectorsModule } from './selectors-module.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const artifacts = path.join(root, 'tests', '.artifacts', 'browser');
const args = process.argv.slice(2);
const tapFile = args.includes('--tap') ? path.resolve(args[args.indexOf('--tap') + 1]) : undefined;

function step(name) {
  console.log(`== browser: ${name}`);
}

function runOrFail(cmd, cmdArgs, what) {
  const res = spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit' });
  if (res.status !== 0) {
    throw new Error(`${what} failed (${cmd} ${cmdArgs.join(' ')} exited ${res.status})`);
  }
}

/** Starts the host and resolves with {url, uid, stop} once it printed its ready line. */
function startHost(binary) {
  const log = createWriteStream(path.join(artifacts, 'host.log'));
  const child = spawn(binary, ['-root', root], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr.pipe(log);
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) {
        resolve();
        return;
      }
      const timer = setTimeout(() => child.kill('SIGKILL'), 8000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`host did not start within 60s; see ${path.join(artifacts, 'host.log')}`));
    }, 60000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`host exited with ${code} before serving; see ${path.join(artifacts, 'host.log')}`));
    });
    createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer);
      child.removeAllListeners('exit');
      try {
        resolve({ ...JSON.parse(line), stop });
      } catch (err) {
        stop();
        reject(new Error(`host printed ${line}: ${err.message}`));
      }
    });
  });
}

function runSpecs(env) {
  const specs = readdirSync(path.join(here, 'specs'))
    .filter((f) => f.endsWith('.test.mjs'))
    .map((f) => path.join(here, 'specs', f));
  const reporters = ['--test-reporter=spec', '--test-reporter-destination=stdout'];
  if (tapFile) {
    reporters.push('--test-reporter=tap', `--test-reporter-destination=${tapFile}`);
  }
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--test', '--test-concurrency=1', ...reporters, ...specs], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, ...env },
    });
    child.once('exit', (code) => resolve(code ?? 1));
  });
}

async function main() {
  mkdirSync(artifacts, { recursive: true });
  if (args.includes('--rebuild') || !existsSync(path.join(root, 'dist', 'module.js'))) {
    step('npm run build (frontend)');
    runOrFail('npm', ['run', '-s', 'build'], 'frontend build');
  }
  if (shellIsFresh()) {
    step('grafana shell bundle is up to date');
  } else {
    step('grafana shell bundle');
    await buildShell();
  }
  step('selectors');
  const selectorsPath = writeSelectorsModule(root, path.join(artifacts, 'selectors.mjs'));
  step('test host');
  const hostBinary = path.join(artifacts, 'browser-host');
  runOrFail('go', ['build', '-o', hostBinary, './tests/browser/host'], 'host build');
  const host = await startHost(hostBinary);
  console.log(`host at ${host.url} (log: ${path.join(artifacts, 'host.log')})`);
  let code = 1;
  try {
    step('specs');
    code = await runSpecs({ BROWSER_HOST_URL: host.url, BROWSER_HOST_UID: host.uid, BROWSER_SELECTORS: selectorsPath });
  } finally {
    await host.stop();
  }
  if (code !== 0) {
    console.error(`browser tests failed; host log: ${path.join(artifacts, 'host.log')}`);
  }
  process.exit(code);
}

main().catch((err) => {
  console.error(`browser tests could not run: ${err.message ?? err}`);
  process.exit(1);
});
