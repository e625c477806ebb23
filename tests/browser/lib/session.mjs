// One browser session per spec file: Chromium, the host's simulator account,
// pages opened on the shell, and the hygiene checks every spec ends with
// (no secret in any response to the browser or in the plugin log, no
// uncaught page error).
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { launch, openPage } from './browser.mjs';
import { HOST, RUNTIME, hostJSON, hostText, loadSelectors, requireHost } from './host.mjs';
import ids from '../shell/test-ids.json' with { type: 'json' };

/** ROOT is the repository root. */
export const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');

/**
 * describeInBrowser declares a suite with a session: body(session) declares
 * the tests; session.sel (src/selectors.ts), session.sim (the simulator
 * account), session.open(query) (a new page on the shell, loaded) and
 * session.secrets (add any other secret typed) are ready inside tests.
 */
export function describeInBrowser(name, body) {
  // The runtime in the suite's name tells the two runs apart in the reports.
  describe(`${name} [Grafana ${RUNTIME.name}]`, () => {
    const session = { records: [], pages: [], secrets: [] };
    session.open = async (query = '') => {
      const { context, page, record } = await openPage(session.browser);
      session.records.push(record);
      session.pages.push(page);
      await page.goto(`${HOST.url}/?uid=${HOST.uid}${query}`);
      await page.waitForFunction(() => window.__shellReady !== undefined, null, { timeout: 30000 });
      assert.deepEqual(await page.getByTestId(ids.loadError).allTextContents(), [], 'the plugin failed to load');
      return { context, page, record };
    };

    before(async () => {
      requireHost();
      session.sel = await loadSelectors();
      session.sim = await hostJSON('/api/test/simulator');
      session.secrets.push(session.sim.password, session.sim.clientSecret);
      session.browser = await launch();
    });

    after(async () => {
      // The last page as it ended, to look at when a test failed.
      const file = `last-page-${name.replace(/\W+/g, '-').toLowerCase()}.png`;
      await session.pages
        .at(-1)
        ?.screenshot({ path: path.join(RUNTIME.artifacts, file), fullPage: true })
        .catch(() => {});
      await session.browser?.close();
    });

    body(session);

    it('no secret reaches the browser or the plugin log', async () => {
      for (const { path: p, body: text } of session.records.flatMap((r) => r.apiBodies)) {
        for (const s of session.secrets) {
          assert.ok(!text.includes(s), `a secret appears in the response of ${p}`);
        }
      }
      const logs = await hostText('/api/test/plugin-logs');
      assert.ok(logs.length > 0, 'the plugin logged something (the check is not vacuous)');
      for (const s of session.secrets) {
        assert.ok(!logs.includes(s), 'a secret appears in the plugin log');
      }
    });

    it('the pages raised no uncaught error and every request succeeded', () => {
      assert.deepEqual(
        session.records.flatMap((r) => r.pageErrors),
        []
      );
      // Allowed: Grafana server assets no npm package ships (its fonts, a few icons such
      // as spinner.svg), and while a spec saves wrong credentials on purpose, the failed
      // health checks and the editors' resource calls Locus refuses (401, 403).
      const unexpected = session.records
        .flatMap((r) => r.failedResponses)
        .filter((f) => !/^404 \/public\/(fonts|build\/img)\//.test(f))
        .filter((f) => !(session.expectHealthErrors && /^400 \/api\/datasources\/uid\/[^/]+\/health$/.test(f)))
        .filter((f) => !(session.expectHealthErrors && /^40[13] \/api\/datasources\/uid\/[^/]+\/resources\//.test(f)));
      assert.deepEqual(unexpected, []);
    });
  });
}

/**
 * ensureConfigured saves the simulator account as the data source settings
 * (through the host's Grafana API, not the editor) unless they are already
 * saved, so a spec that is not about the config editor can run on its own.
 */
export async function ensureConfigured(sim) {
  const ds = await hostJSON(`/api/datasources/uid/${HOST.uid}`);
  if (ds.jsonData?.baseUrl === sim.baseUrl && !ds.jsonData?.demoMode && ds.secureJsonFields?.password) {
    return;
  }
  const res = await fetch(`${HOST.url}/api/datasources/uid/${HOST.uid}`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      ...ds,
      jsonData: {
        baseUrl: sim.baseUrl,
        partnerId: sim.partnerId,
        authType: 'password',
        username: sim.username,
        clientId: sim.clientId,
      },
      secureJsonData: { password: sim.password, clientSecret: sim.clientSecret },
    }),
  });
  assert.equal(res.status, 200, `saving the settings: ${await res.text()}`);
}
