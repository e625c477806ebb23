// The Grafana runtimes the browser specs run against: the modules each
// Grafana release line shares with plugins (React, @grafana/data, ui,
// runtime, i18n, e2e-selectors, emotion, rxjs ...), from the npm registry.
//
//   12.4  the repository's own node_modules (package.json pins @grafana/* 12.4, React 18)
//   13.2  tests/browser/runtime-13 (its own package.json and lockfile: @grafana/* 13.2,
//         React 19), installed with `npm ci` into node_modules/.grafana-runtime-13 (inside
//         the repository's node_modules, which git and the plugin's Go build manifest
//         skip: some npm packages ship .go files); anything it does not hold falls back
//         to the repository's node_modules.
//
// Each runtime gets its own shell bundle and artifacts folder
// (tests/.artifacts/browser/<name>/).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');

const runtime13Dir = path.join(here, 'runtime-13');
const runtime13Install = path.join(root, 'node_modules', '.grafana-runtime-13');

/** RUNTIMES by name; modules lists node_modules folders in resolution order. */
export const RUNTIMES = {
  12.4: { name: '12.4', packageDir: null, modules: [path.join(root, 'node_modules')] },
  13.2: {
    name: '13.2',
    packageDir: runtime13Dir,
    installDir: runtime13Install,
    modules: [path.join(runtime13Install, 'node_modules'), path.join(root, 'node_modules')],
  },
};

/** RUNTIME_NAMES in the order run.mjs runs them. */
export const RUNTIME_NAMES = ['12.4', '13.2'];

/** runtime returns the runtime called name, or throws naming the valid ones. */
export function runtime(name) {
  const r = RUNTIMES[name];
  if (!r) {
    throw new Error(`unknown Grafana runtime '${name}' (valid: ${RUNTIME_NAMES.join(', ')})`);
  }
  return r;
}

/** artifactsDir is where a runtime's shell bundle, screenshots and logs go. */
export function artifactsDir(r) {
  return path.join(root, 'tests', '.artifacts', 'browser', r.name);
}

/** installedVersion is the version of a package as this runtime resolves it (throws when missing). */
export function installedVersion(r, pkg) {
  for (const dir of r.modules) {
    const file = path.join(dir, pkg, 'package.json');
    if (existsSync(file)) {
      return JSON.parse(readFileSync(file, 'utf8')).version;
    }
  }
  throw new Error(`${pkg} is not installed for the Grafana ${r.name} runtime (run scripts/setup.sh)`);
}

/**
 * ensureInstalled installs a runtime's own packages (npm ci) unless they were
 * installed from the lockfile as it is now (its sha256, kept in
 * node_modules/.lock-sha256: a checkout that only touches the file's time
 * does not reinstall). The repository's own node_modules are
 * scripts/setup.sh's business.
 */
export function ensureInstalled(r) {
  if (!r.packageDir) {
    return;
  }
  const lock = path.join(r.packageDir, 'package-lock.json');
  const stamp = path.join(r.installDir, 'node_modules', '.lock-sha256');
  const sum = createHash('sha256').update(readFileSync(lock)).digest('hex');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === sum) {
    return;
  }
  console.log(`== browser: npm ci --prefix ${path.relative(root, r.installDir)} (Grafana ${r.name} runtime)`);
  mkdirSync(r.installDir, { recursive: true });
  for (const f of ['package.json', 'package-lock.json']) {
    copyFileSync(path.join(r.packageDir, f), path.join(r.installDir, f));
  }
  const res = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--prefix', r.installDir], { stdio: 'inherit' });
  if (res.status !== 0) {
    throw new Error(`npm ci for the Grafana ${r.name} runtime failed (exit ${res.status})`);
  }
  writeFileSync(stamp, `${sum}\n`);
}

// `node tests/browser/runtimes.mjs --install` installs every runtime's own packages (scripts/setup.sh).
if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv.includes('--install')) {
  for (const name of RUNTIME_NAMES) {
    ensureInstalled(RUNTIMES[name]);
  }
}
