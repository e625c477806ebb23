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
// The specs run once per Grafana runtime (runtimes.mjs: 12.4 with React 18,
// 13.2 with React 19), each with its own shell bundle and a fresh host.
//
// Options: --rebuild        rebuild dist/ even if current
//          --runtime NAME   only this runtime (repeatable; default: all, 12.4 then 13.2)
//          --tap FILE       also write the TAP report to FILE (scripts/test.sh tallies it);
//                           with several runtimes, FILE-<runtime>.tap each
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

import { buildShell, shellDir, shellIsFresh } from './build-shell.mjs';
import { RUNTIME_NAMES, artifactsDir, ensureInstalled, installedVersion, runtime } from './runtimes.mjs';
import { writeSelectorsModule } from './selectors-module.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const artifacts = path.join(root, 'tests', '.artifacts', 'browser');
const args = process.argv.slice(2);
const tapFile = args.includes('--tap') ? path.resolve(args[args.indexOf('--tap') + 1]) : undefined;
const runtimeNames = args.flatMap((a, i) => (args[i - 1] === '--runtime' ? [a] : []));
const runtimes = (runtimeNames.length ? runtimeNames : RUNTIME_NAMES).map(runtime);

/** tapFor is the TAP report file of runtime r (undefined: none). */
function tapFor(r) {
  if (!tapFile || runtimes.length === 1) {
    return tapFile;
  }
  return tapFile.replace(/(\.tap)?$/, `-${r.name}.tap`);
}

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

/** Starts the host for runtime r and resolves with {url, uid, stop} once it printed its ready line. */
function startHost(binary, r) {
  const logFile = path.join(artifactsDir(r), 'host.log');
  const log = createWriteStream(logFile);
  const child = spawn(binary, ['-root', root, '-shell', shellDir(r)], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
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
      reject(new Error(`host did not start within 60s; see ${logFile}`));
    }, 60000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`host exited with ${code} before serving; see ${logFile}`));
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

function runSpecs(env, tap) {
  const specs = readdirSync(path.join(here, 'specs'))
    .filter((f) => f.endsWith('.test.mjs'))
    .sort() // 1-editors first (it configures through the editor), 4-demo-mode last
    .map((f) => path.join(here, 'specs', f));
  const reporters = ['--test-reporter=spec', '--test-reporter-destination=stdout'];
  if (tap) {
    reporters.push('--test-reporter=tap', `--test-reporter-destination=${tap}`);
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

/** runRuntime builds runtime r's shell, starts a fresh host with it, runs the specs; resolves with their exit code. */
async function runRuntime(r, hostBinary, selectorsPath) {
  ensureInstalled(r);
  const version = installedVersion(r, '@grafana/ui');
  const react = installedVersion(r, 'react');
  mkdirSync(artifactsDir(r), { recursive: true });
  if (shellIsFresh(r)) {
    step(`Grafana ${r.name}: shell bundle is up to date (@grafana/ui ${version}, React ${react})`);
  } else {
    step(`Grafana ${r.name}: shell bundle (@grafana/ui ${version}, React ${react})`);
    await buildShell(r);
  }
  const host = await startHost(hostBinary, r);
  console.log(`host at ${host.url} (log: ${path.join(artifactsDir(r), 'host.log')})`);
  const onSignal = () => host.stop().then(() => process.exit(130));
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, onSignal);
  }
  let code = 1;
  try {
    step(`Grafana ${r.name}: specs`);
    code = await runSpecs(
      {
        BROWSER_HOST_URL: host.url,
        BROWSER_HOST_UID: host.uid,
        BROWSER_SELECTORS: selectorsPath,
        BROWSER_RUNTIME: r.name,
        BROWSER_GRAFANA_VERSION: version,
        BROWSER_ARTIFACTS: artifactsDir(r),
      },
      tapFor(r)
    );
  } finally {
    // Keep the plugin's own log next to the host's, for failures.
    await fetch(`${host.url}/api/test/plugin-logs`)
      .then((res) => res.text())
      .then((text) => writeFileSync(path.join(artifactsDir(r), 'plugin.log'), text))
      .catch(() => {});
    await host.stop();
    for (const signal of ['SIGINT', 'SIGTERM']) {
      process.removeListener(signal, onSignal);
    }
  }
  if (code !== 0) {
    const dir = artifactsDir(r);
    console.error(
      `browser tests failed on Grafana ${r.name}; logs: ${path.join(dir, 'host.log')}, ${path.join(dir, 'plugin.log')}; last pages: ${path.join(dir, 'last-page-*.png')}`
    );
  }
  return code;
}

async function main() {
  mkdirSync(artifacts, { recursive: true });
  const stale = frontendStaleness();
  if (args.includes('--rebuild') || stale) {
    step(`npm run build (frontend: ${args.includes('--rebuild') ? '--rebuild' : stale})`);
    runOrFail('npm', ['run', '-s', 'build'], 'frontend build', path.join(artifacts, 'frontend-build.log'));
  }
  step('selectors');
  const selectorsPath = writeSelectorsModule(root, path.join(artifacts, 'selectors.mjs'));
  step('test host');
  const hostBinary = path.join(artifacts, 'browser-host');
  runOrFail('go', ['build', '-o', hostBinary, './tests/browser/host'], 'host build');
  const failed = [];
  for (const r of runtimes) {
    if ((await runRuntime(r, hostBinary, selectorsPath)) !== 0) {
      failed.push(r.name);
    }
  }
  if (failed.length) {
    console.error(`browser tests failed on Grafana ${failed.join(', ')}`);
  }
  process.exit(failed.length ? 1 : 0);
}

main().catch((err) => {
  console.error(`browser tests could not run: ${err.message ?? err}`);
  process.exit(1);
});
