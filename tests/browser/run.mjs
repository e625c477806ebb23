#!/usr/bin/env node
// `npm run test:browser`: builds what is missing (dist/ via `npm run build`,
// the backend binary via the host), builds the grafana shell bundle and the
// test host, starts the host (plugin binary + simulator), runs the browser
// specs with node's test runner against it, stops the host, and exits
// non-zero on any failure.
//
// dist/module.js is rebuilt when missing or older than src/, plugin.json,
// package-lock.json or the webpack config; the backend binary likewise (see
// host/build.go), so the check always runs the current code, built.
//
// Options: --rebuild  rebuild dist/ even if current
//          --tap FILE also write the TAP report to FILE (scripts/test.sh tallies it)
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
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

const started = Date.now();
function step(name) {
  console.log(`== browser: ${name} (at ${((Date.now() - started) / 1000).toFixed(1)}s)`);
}

/** notBundled are sources that do not go into dist/module.js (tests, and the screenshots these tests write). */
const notBundled = /(__tests__|\.test\.tsx?$|screenshot-[\w-]+\.png$)/;

/** newestMtime is the latest modification time of a file or of any bundled file under a directory. */
function newestMtime(p) {
  if (!existsSync(p) || notBundled.test(p)) {
    return 0;
  }
  const st = statSync(p);
  if (!st.isDirectory()) {
    return st.mtimeMs;
  }
  return readdirSync(p).reduce((m, f) => Math.max(m, newestMtime(path.join(p, f))), 0);
}

/** frontendStaleness says why dist/module.js must be rebuilt, or '' when it is current. */
function frontendStaleness() {
  const bundle = path.join(root, 'dist', 'module.js');
  if (!existsSync(bundle)) {
    return 'dist/module.js missing';
  }
  const built = statSync(bundle).mtimeMs;
  const inputs = ['src', 'plugin.json', 'package-lock.json', path.join('.config', 'webpack'), path.join('.config', 'bundler')];
  const newer = inputs.filter((p) => newestMtime(path.join(root, p)) > built);
  return newer.length ? `older than ${newer.join(', ')}` : '';
}

/** runOrFail runs a build step; its output goes to logFile (printed when it fails) or to the terminal. */
function runOrFail(cmd, cmdArgs, what, logFile) {
  const res = spawnSync(cmd, cmdArgs, { cwd: root, stdio: logFile ? 'pipe' : 'inherit', encoding: 'utf8', maxBuffer: 64 << 20 });
  if (logFile) {
    writeFileSync(logFile, `${res.stdout ?? ''}${res.stderr ?? ''}`);
  }
  if (res.status !== 0) {
    if (logFile) {
      console.error(`${res.stdout ?? ''}${res.stderr ?? ''}`.split('\n').slice(-40).join('\n'));
    }
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
    .sort() // 1-editors first (it configures through the editor), 4-demo-mode last
    .map((f) => path.join(here, 'specs', f));
  const reporters = ['--test-reporter=spec', '--test-reporter-destination=stdout'];
  if (tapFile) {
    reporters.push('--test-reporter=tap', `--test-reporter-destination=${tapFile}`);
  }
  return new Promise((resolve) => {
    // A hung browser step fails the run instead of blocking CI.
    const child = spawn(process.execPath, ['--test', '--test-concurrency=1', '--test-timeout=240000', ...reporters, ...specs], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, ...env },
    });
    child.once('exit', (code) => resolve(code ?? 1));
  });
}

async function main() {
  mkdirSync(artifacts, { recursive: true });
  const stale = frontendStaleness();
  if (args.includes('--rebuild') || stale) {
    step(`npm run build (frontend: ${args.includes('--rebuild') ? '--rebuild' : stale})`);
    runOrFail('npm', ['run', '-s', 'build'], 'frontend build', path.join(artifacts, 'frontend-build.log'));
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
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => host.stop().then(() => process.exit(130)));
  }
  let code = 1;
  try {
    step('specs');
    code = await runSpecs({ BROWSER_HOST_URL: host.url, BROWSER_HOST_UID: host.uid, BROWSER_SELECTORS: selectorsPath });
  } finally {
    // Keep the plugin's own log next to the host's, for failures.
    await fetch(`${host.url}/api/test/plugin-logs`)
      .then((r) => r.text())
      .then((text) => writeFileSync(path.join(artifacts, 'plugin.log'), text))
      .catch(() => {});
    await host.stop();
  }
  if (code !== 0) {
    console.error(`browser tests failed; logs: ${path.join(artifacts, 'host.log')}, ${path.join(artifacts, 'plugin.log')}; last pages: ${path.join(artifacts, 'last-page-*.png')}`);
  }
  process.exit(code);
}

main().catch((err) => {
  console.error(`browser tests could not run: ${err.message ?? err}`);
  process.exit(1);
});
