// scripts/demo.sh's choice of how to start Grafana, with stand-in executables
// on PATH: Docker with compose → `docker compose up`; else a local `grafana`
// or `grafana-server` → started with a temporary data folder, the plugin from
// dist/ and the repository's provisioning on port 3000; else a message saying
// what to install and how to install the zip. Each case runs a copy of the
// script in a scratch repository (dist/, provisioning/) with --no-build, and a
// PATH holding only the stand-ins and the few system tools the script uses, so
// a Docker or Grafana installed on this machine cannot change the outcome.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

const root = path.resolve(import.meta.dirname, '..', '..');
const pluginId = JSON.parse(readFileSync(path.join(root, 'plugin.json'), 'utf8')).id;
const systemTools = ['bash', 'cat', 'dirname', 'env', 'grep', 'ln', 'mkdir', 'mktemp', 'readlink', 'rm', 'sed'];

let scratch;
let sysbin;

/** which finds a system tool on this machine's PATH. */
function which(tool) {
  const res = spawnSync('bash', ['-c', `command -v ${tool}`], { encoding: 'utf8' });
  assert.equal(res.status, 0, `${tool} is needed by scripts/demo.sh and this test`);
  return res.stdout.trim();
}

/** standIn writes an executable that logs its command line (and GF_* settings) to $DEMO_TEST_LOG. */
function standIn(dir, name, body = '') {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  writeFileSync(
    file,
    `#!${which('bash')}
echo "ran: ${name} $*" >> "$DEMO_TEST_LOG"
${body}
exit 0
`
  );
  chmodSync(file, 0o755);
  return file;
}

/** grafanaBody records what a started Grafana would see: its settings and the plugin folder. */
const grafanaBody = `env | grep '^GF_' >> "$DEMO_TEST_LOG"
echo "plugin: $(readlink "$GF_PATHS_PLUGINS/${pluginId}")" >> "$DEMO_TEST_LOG"
echo "data exists: $([ -d "$GF_PATHS_DATA" ] && echo yes)" >> "$DEMO_TEST_LOG"`;

/** grafanaHome makes a folder that looks like a Grafana installation (conf/defaults.ini). */
function grafanaHome(dir) {
  mkdirSync(path.join(dir, 'conf'), { recursive: true });
  writeFileSync(path.join(dir, 'conf', 'defaults.ini'), '; stand-in\n');
  return dir;
}

/** runDemo runs the scratch copy of demo.sh with only bins (and the system tools) on PATH. */
function runDemo(name, bins, env = {}) {
  const log = path.join(scratch, `${name}.log`);
  writeFileSync(log, '');
  const res = spawnSync(which('bash'), [path.join(scratch, 'repo', 'scripts', 'demo.sh'), '--no-build'], {
    encoding: 'utf8',
    env: { PATH: [...bins, sysbin].join(':'), HOME: scratch, TMPDIR: scratch, DEMO_TEST_LOG: log, ...env },
    timeout: 60000,
  });
  return { status: res.status, stdout: res.stdout, stderr: res.stderr, log: readFileSync(log, 'utf8') };
}

/** setting returns the value of a GF_* setting the stand-in Grafana logged. */
function setting(log, key) {
  return log.match(new RegExp(`^${key}=(.*)$`, 'm'))?.[1];
}

describe('scripts/demo.sh picks how to start Grafana', () => {
  let repo;
  before(() => {
    scratch = mkdtempSync(path.join(tmpdir(), 'demo-sh-test-'));
    sysbin = path.join(scratch, 'sysbin');
    mkdirSync(sysbin);
    for (const tool of systemTools) {
      symlinkSync(which(tool), path.join(sysbin, tool));
    }
    repo = path.join(scratch, 'repo');
    mkdirSync(path.join(repo, 'scripts'), { recursive: true });
    copyFileSync(path.join(root, 'scripts', 'demo.sh'), path.join(repo, 'scripts', 'demo.sh'));
    mkdirSync(path.join(repo, 'dist', 'dashboards'), { recursive: true });
    writeFileSync(path.join(repo, 'dist', 'plugin.json'), JSON.stringify({ id: pluginId }));
    mkdirSync(path.join(repo, 'provisioning', 'datasources'), { recursive: true });
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('Docker with compose: docker compose up, even when a local Grafana exists', () => {
    const bin = path.join(scratch, 'docker-bin');
    standIn(bin, 'docker');
    standIn(bin, 'grafana', grafanaBody);
    const r = runDemo('docker', [bin], { GRAFANA_HOME: grafanaHome(path.join(scratch, 'home-docker')) });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.log, /^ran: docker compose up$/m, r.log);
    assert.doesNotMatch(r.log, /ran: grafana/, 'the local Grafana is not started when Docker works');
    assert.match(r.stdout, /http:\/\/localhost:3000/);
  });

  it('a local grafana: `grafana server` with a temporary data folder, dist/ as the plugin, the repository provisioning, port 3000', () => {
    const bin = path.join(scratch, 'grafana-bin');
    // A docker without the compose plugin does not count as Docker.
    standIn(bin, 'docker', 'if [ "$1 $2" = "compose version" ]; then exit 1; fi');
    standIn(bin, 'grafana', grafanaBody);
    const home = grafanaHome(path.join(scratch, 'home-grafana'));
    const r = runDemo('grafana', [bin], { GRAFANA_HOME: home });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.log, new RegExp(`^ran: grafana server --homepath ${home}$`, 'm'), r.log);
    assert.doesNotMatch(r.log, /ran: docker compose up/);
    assert.equal(setting(r.log, 'GF_SERVER_HTTP_PORT'), '3000');
    assert.equal(setting(r.log, 'GF_PATHS_PROVISIONING'), path.join(repo, 'provisioning'));
    assert.match(r.log, new RegExp(`^plugin: ${repo}/dist$`, 'm'), 'the plugin folder is dist/');
    assert.equal(setting(r.log, 'GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS'), pluginId);
    assert.match(r.log, /^data exists: yes$/m);
    const data = setting(r.log, 'GF_PATHS_DATA');
    assert.ok(data.startsWith(scratch), `the data folder ${data} is a temporary one`);
    assert.ok(!existsSync(data), `the temporary data folder ${data} is removed when Grafana stops`);
    assert.match(r.stdout, /http:\/\/localhost:3000/);
    assert.match(r.stdout, /stop it with Ctrl-C/);
  });

  it('a local grafana-server (older packages): found next to its home, started the same way', () => {
    const install = grafanaHome(path.join(scratch, 'grafana-install'));
    const bin = path.join(install, 'bin');
    standIn(bin, 'grafana-server', grafanaBody);
    const r = runDemo('grafana-server', [bin]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.log, new RegExp(`^ran: grafana-server --homepath ${install}$`, 'm'), r.log);
    assert.equal(setting(r.log, 'GF_SERVER_HTTP_PORT'), '3000');
    assert.match(r.log, new RegExp(`^plugin: ${repo}/dist$`, 'm'));
  });

  it('a local grafana without a findable home: an error naming GRAFANA_HOME', () => {
    const bin = path.join(scratch, 'homeless-bin');
    standIn(bin, 'grafana', grafanaBody);
    const r = runDemo('homeless', [bin]);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /GRAFANA_HOME/);
    assert.doesNotMatch(r.log, /ran: grafana/);
  });

  it('neither: says what to install and how to install the plugin zip, starts nothing', () => {
    const r = runDemo('neither', []);
    assert.equal(r.status, 1);
    assert.equal(r.log, '');
    for (const want of [
      'https://docs.docker.com/engine/install/',
      'apt-get install grafana',
      'brew install grafana',
      'npm run package',
      'grafana cli --pluginUrl',
      `allow_loading_unsigned_plugins = ${pluginId}`,
    ]) {
      assert.ok(r.stderr.includes(want), `the message names ${want}:\n${r.stderr}`);
    }
  });
});
