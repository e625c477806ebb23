// What the specs know about the running test host (started by run.mjs).
import assert from 'node:assert/strict';

/** HOST is the host's base URL and data source uid, from run.mjs. */
export const HOST = {
  url: process.env.BROWSER_HOST_URL,
  uid: process.env.BROWSER_HOST_UID,
};

/**
 * RUNTIME is the Grafana runtime the shell bundles (runtimes.mjs: '12.4' or
 * '13.2'), with its @grafana/ui version and the folder for its screenshots and logs.
 */
export const RUNTIME = {
  name: process.env.BROWSER_RUNTIME ?? '12.4',
  grafanaVersion: process.env.BROWSER_GRAFANA_VERSION ?? '',
  artifacts: process.env.BROWSER_ARTIFACTS ?? new URL('../../.artifacts/browser/12.4', import.meta.url).pathname,
};

/**
 * grafanaSelectors are @grafana/e2e-selectors' selectors of the runtime under
 * test (the labels and test ids that Grafana release's components carry).
 */
export const grafanaSelectors = await (async () => {
  const { createRequire } = await import('node:module');
  const dirs = RUNTIME.name === '13.2' ? [new URL('../runtime-13/', import.meta.url).pathname] : [];
  const resolved = createRequire(import.meta.url).resolve('@grafana/e2e-selectors', { paths: [...dirs, import.meta.dirname] });
  return (await import(resolved)).selectors;
})();

/** requireHost fails clearly when a spec is run without run.mjs. */
export function requireHost() {
  assert.ok(HOST.url && HOST.uid, 'BROWSER_HOST_URL/BROWSER_HOST_UID unset: run the specs with `npm run test:browser`');
}

/** hostJSON GETs a host route and returns its JSON, failing on non-2xx. */
export async function hostJSON(path) {
  const res = await fetch(HOST.url + path);
  const text = await res.text();
  assert.ok(res.ok, `GET ${path} -> ${res.status}: ${text}`);
  return JSON.parse(text);
}

/** hostText GETs a host route and returns its body as text. */
export async function hostText(path) {
  const res = await fetch(HOST.url + path);
  assert.ok(res.ok, `GET ${path} -> ${res.status}`);
  return res.text();
}

/** resource GETs a resource route of the data source through the host (as the page would). */
export function resource(path) {
  return hostJSON(`/api/datasources/uid/${HOST.uid}/resources/${path}`);
}

/** loadSelectors imports the transpiled src/selectors.ts. */
export async function loadSelectors() {
  assert.ok(process.env.BROWSER_SELECTORS, 'BROWSER_SELECTORS unset: run the specs with `npm run test:browser`');
  const mod = await import(process.env.BROWSER_SELECTORS);
  return mod.selectors;
}
