// The real-browser check: the BUILT plugin (dist/module.js + the backend
// binary) in headless Chromium, configured through its config editor and
// queried through its query editor, against the Locus simulator.
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { selectors as grafanaSelectors } from '@grafana/e2e-selectors';

import { launch, openPage } from '../lib/browser.mjs';
import { HOST, hostJSON, hostText, loadSelectors, requireHost, resource } from '../lib/host.mjs';
import { escapeRegExp, fillSecret, pickMultiOption, pickOption, queryModel, runQuery, saveAndTest, waitForModel } from '../lib/ui.mjs';
import ids from '../shell/test-ids.json' with { type: 'json' };

const root = path.resolve(import.meta.dirname, '..', '..', '..');
const SCREENSHOT_MAX_BYTES = 300 * 1024;
const e2e = grafanaSelectors.pages.DataSource;
const wrongPassword = `wrong-${process.pid}-${Date.now()}`;

/** findInverterSite returns a site with an inverter and two measured fields of it, via the resource API. */
async function findInverterSite() {
  const { sites } = await resource('sites?limit=20');
  for (const site of sites) {
    const { components } = await resource(`sites/${site.id}/components`);
    const inverter = components.find((c) => c.nodeType === 'INVERTER');
    if (!inverter) {
      continue;
    }
    const { fields } = await resource(`dataavailable?entityType=component&id=${inverter.id}`);
    const measured = fields.filter((f) => f.source === 'Measured' && f.granularities?.includes('5min'));
    const power = measured.find((f) => f.shortName === 'W_avg');
    const other = measured.find((f) => f.shortName !== 'W_avg' && f.aggregation === 'avg');
    if (power && other) {
      return { site, inverter, fields: [power, other] };
    }
  }
  assert.fail('no simulated site has an inverter with W_avg and a second measured avg field');
}

function fieldOptionName(f) {
  return new RegExp(`^${escapeRegExp(`${f.longName || f.baseField} (${f.aggregation})`)}`);
}

async function screenshot(locator, file) {
  const out = path.join(root, 'src', 'img', file);
  await locator.screenshot({ path: out, animations: 'disabled' });
  const size = statSync(out).size;
  assert.ok(size < SCREENSHOT_MAX_BYTES, `${file} is ${size} bytes; keep it under ${SCREENSHOT_MAX_BYTES}`);
}

describe('Locus Energy plugin in a real browser', () => {
  let sel;
  let sim;
  let browser;
  let page;
  let record;
  const records = [];

  before(async () => {
    requireHost();
    sel = await loadSelectors();
    sim = await hostJSON('/api/test/simulator');
    browser = await launch();
    ({ page, record } = await openPage(browser));
    records.push(record);
  });

  after(async () => {
    // The last state of the page, to look at when a test failed.
    await page?.screenshot({ path: path.join(root, 'tests', '.artifacts', 'browser', 'last-page.png'), fullPage: true }).catch(() => {});
    await browser?.close();
  });

  it('loads the built dist/module.js as an AMD module with the shared Grafana modules', async () => {
    const moduleResponse = page.waitForResponse((r) => r.url().endsWith(`/public/plugins/sunfleet-locus-datasource/module.js`));
    await page.goto(`${HOST.url}/?uid=${HOST.uid}`);
    assert.equal((await moduleResponse).status(), 200);
    await page.waitForFunction(() => window.__shellReady !== undefined, null, { timeout: 30000 });
    const loadError = await page.getByTestId(ids.loadError).allTextContents();
    assert.deepEqual(loadError, [], 'the plugin failed to load');
    await page.locator(`#${sel.config.baseUrl.id}`).waitFor();
  });

  it('config editor: Save & test reports bad credentials, a foreign partner, then the connected partner', async () => {
    await page.locator(`#${sel.config.baseUrl.id}`).fill(sim.baseUrl);
    await page.locator(`#${sel.config.partnerId.id}`).fill(String(sim.partnerId));
    await page.locator(`#${sel.config.username.id}`).fill(sim.username);
    await fillSecret(page, sel.config.password.id, wrongPassword);
    await page.locator(`#${sel.config.clientId.id}`).fill(sim.clientId);
    await fillSecret(page, sel.config.clientSecret.id, sim.clientSecret);
    const rejected = await saveAndTest(page, e2e.saveAndTest);
    assert.equal(rejected.severity, 'error', rejected.message);
    assert.match(rejected.message, /rejected the credentials \(401\)/);

    await fillSecret(page, sel.config.password.id, sim.password);
    await page.locator(`#${sel.config.partnerId.id}`).fill(String(sim.otherPartnerId));
    const foreign = await saveAndTest(page, e2e.saveAndTest);
    assert.equal(foreign.severity, 'error', foreign.message);
    assert.match(foreign.message, new RegExp(`partner ${sim.otherPartnerId} is not accessible.*\\(403\\)`));

    await page.locator(`#${sel.config.partnerId.id}`).fill(String(sim.partnerId));
    const ok = await saveAndTest(page, e2e.saveAndTest);
    assert.equal(ok.severity, 'success', ok.message);
    assert.match(ok.message, new RegExp(`Connected to partner ${sim.partnerId}: \\d+ sites`));
    assert.equal(await page.getByTestId(e2e.alert).count(), 1, "the result is Grafana's data source Alert");

    const saved = await hostJSON(`/api/datasources/uid/${HOST.uid}`);
    assert.ok(JSON.stringify(saved.jsonData).includes(sim.baseUrl), `jsonData lacks the base URL: ${JSON.stringify(saved.jsonData)}`);
    assert.equal(Object.values(saved.secureJsonFields).filter(Boolean).length, 2, 'password and client secret are stored as secure fields');
    assert.ok(await page.locator(`#${sel.config.password.id}`).isDisabled(), 'after saving, the password shows as configured');
    await screenshot(page.getByTestId(ids.configSection), 'screenshot-config.png');
  });

  it('query editor: a site, a component and two fields change the query model and the returned series', async () => {
    const { site, inverter, fields } = await findInverterSite();
    await page.getByTestId(sel.query.editor).waitFor();
    const initial = await queryModel(page);
    assert.equal(initial.queryType, 'timeseries');
    assert.ok(!initial.componentId && !(initial.fields ?? []).length, `the new query starts empty: ${JSON.stringify(initial)}`);

    // Options carry "#<id>" in their description; the typed text itself is also
    // offered as a custom value, which must not be the one picked.
    await pickOption(page, sel.query.site.id, site.name.slice(0, 8), new RegExp(`${escapeRegExp(site.name)}.*#${site.id}\\b`));
    await waitForModel(page, (m) => m.siteId === String(site.id), `took site ${site.id}`);

    await page.getByTestId(sel.query.entityType.testId).getByRole('radio', { name: 'Component' }).check();
    await waitForModel(page, (m) => m.entityType === 'component', 'switched to a component');

    await pickOption(page, sel.query.component.id, inverter.name, new RegExp(`${escapeRegExp(inverter.name)}.*#${inverter.id}\\b`));
    await waitForModel(page, (m) => m.componentId === String(inverter.id), `took component ${inverter.id}`);

    await pickMultiOption(page, sel.query.fields.id, fields[0].longName, fieldOptionName(fields[0]));
    const one = await waitForModel(page, (m) => m.fields?.length === 1, `took field ${fields[0].shortName}`);
    assert.deepEqual(one.fields, [fields[0].shortName]);
    assert.equal(one.entityType, 'component');

    const first = await runQuery(page);
    assert.deepEqual(first.errors, []);
    assert.equal(first.state, 'Done');
    assert.equal(first.rows.length, 1, `one field gives one series: ${JSON.stringify(first.rows)}`);
    assert.ok(first.rows[0].nonNull > 0, `the series has data: ${JSON.stringify(first.rows)}`);

    await pickMultiOption(page, sel.query.fields.id, fields[1].longName, fieldOptionName(fields[1]));
    const two = await waitForModel(page, (m) => m.fields?.length === 2, `took field ${fields[1].shortName}`);
    assert.deepEqual(two.fields, [fields[0].shortName, fields[1].shortName]);
    const history = await page.getByTestId(ids.queryHistory).textContent();
    assert.ok(
      [`component ${inverter.id}`, fields[0].shortName, fields[1].shortName].every((part) => history.includes(part)),
      `query history summary names the component and fields: ${history}`
    );
    const hint = await page.getByTestId(sel.query.planHint).textContent();
    assert.match(hint, /Auto resolves to \w+/, 'the editor shows what Auto granularity resolves to');

    const second = await runQuery(page);
    assert.deepEqual(second.errors, []);
    assert.equal(second.rows.length, 2, `two fields give two series: ${JSON.stringify(second.rows)}`);
    assert.ok(second.rows.every((r) => r.nonNull > 0), `both series have data: ${JSON.stringify(second.rows)}`);
    assert.notDeepEqual(
      second.rows.map((r) => r.name),
      first.rows.map((r) => r.name),
      'the returned series changed with the query'
    );

    const sent = record.apiRequests.filter((r) => r.path === '/api/ds/query').map((r) => JSON.parse(r.body));
    const last = sent.at(-1).queries[0];
    assert.equal(last.componentId, String(inverter.id));
    assert.deepEqual(last.fields, two.fields);
    assert.equal(last.datasource.uid, HOST.uid);
    await screenshot(page.getByTestId(ids.querySection), 'screenshot-query.png');
  });

  it('a multi-value $site variable from the URL gives one series per site', async () => {
    const { sites } = await resource('sites?limit=2');
    assert.equal(sites.length, 2, 'the simulated fleet has two sites');
    const { fields } = await resource(`dataavailable?entityType=site&id=${sites[0].id}`);
    const field = fields.find((f) => f.shortName === 'W_avg') ?? fields.find((f) => f.source === 'Measured');
    assert.ok(field, `site ${sites[0].id} offers a measured field`);

    const second = await openPage(browser);
    records.push(second.record);
    const p = second.page;
    await p.goto(`${HOST.url}/?uid=${HOST.uid}&var-site=${sites[0].id}&var-site=${sites[1].id}`);
    await p.getByTestId(sel.query.editor).waitFor({ timeout: 30000 });
    await pickOption(p, sel.query.site.id, '$site', /^\$site.*Dashboard variable/);
    await waitForModel(p, (m) => m.siteId === '$site', 'took $site');
    await pickMultiOption(p, sel.query.fields.id, field.longName, fieldOptionName(field));
    await waitForModel(p, (m) => m.fields?.length === 1, `took field ${field.shortName}`);

    const result = await runQuery(p);
    assert.deepEqual(result.errors, []);
    assert.equal(result.rows.length, 2, `one series per site: ${JSON.stringify(result.rows)}`);
    for (const site of sites) {
      assert.ok(result.rows.some((r) => r.name.includes(site.name) && r.nonNull > 0), `a series with data for ${site.name}: ${JSON.stringify(result.rows)}`);
    }
    const sent = second.record.apiRequests.filter((r) => r.path === '/api/ds/query').map((r) => JSON.parse(r.body));
    assert.equal(sent.at(-1).queries[0].siteId, `${sites[0].id},${sites[1].id}`, 'the browser interpolated $site to both ids');
    await second.context.close();
  });

  it('variable editor: a site\'s inverters as variable options, text = name and value = id', async () => {
    const { site } = await findInverterSite();
    const { components } = await resource(`sites/${site.id}/components`);
    const inverters = components.filter((c) => c.nodeType === 'INVERTER');

    const third = await openPage(browser);
    records.push(third.record);
    const p = third.page;
    await p.goto(`${HOST.url}/?uid=${HOST.uid}&view=variable`);
    await p.getByTestId(sel.variable.editor).waitFor({ timeout: 30000 });
    await pickOption(p, sel.variable.kind.id, 'Comp', /^Components/);
    await pickOption(p, sel.query.site.id, site.name.slice(0, 8), new RegExp(`${escapeRegExp(site.name)}.*#${site.id}\\b`));
    await pickOption(p, sel.query.nodeType.id, 'INVER', /^INVERTER/);
    const preview = p.getByTestId(sel.variable.preview);
    await p.waitForFunction(
      ([id, n]) => document.querySelector(`[data-testid="${id}"]`)?.textContent.startsWith(`${n} value`),
      [sel.variable.preview, inverters.length],
      { timeout: 15000 }
    );
    assert.match(await preview.textContent(), new RegExp(escapeRegExp(inverters[0].name)));

    await p.getByTestId(ids.runVariable).click();
    await p.waitForFunction((id) => Number(document.querySelector(`[data-testid="${id}"]`)?.getAttribute('data-runs')) > 0, ids.variableSection);
    const options = await p.getByTestId(ids.variableOption).evaluateAll((els) => els.map((el) => el.textContent));
    assert.deepEqual(
      options.sort(),
      inverters.map((c) => `${c.name} = ${c.id}`).sort(),
      'one option per inverter of the site, text = name, value = id'
    );
    await third.context.close();
  });

  it('annotations: High-priority Locus alerts become regions tagged with type and priority', async () => {
    const fourth = await openPage(browser);
    records.push(fourth.record);
    const p = fourth.page;
    await p.goto(`${HOST.url}/?uid=${HOST.uid}&view=annotations`);
    await p.getByTestId(sel.annotation.editor).waitFor({ timeout: 30000 });
    await pickMultiOption(p, sel.query.priorities.id, 'High', /^High/);
    await p.getByTestId(ids.runAnnotations).click();
    await p.waitForFunction((id) => Number(document.querySelector(`[data-testid="${id}"]`)?.getAttribute('data-runs')) > 0, ids.annotationSection, { timeout: 30000 });
    assert.deepEqual(await p.getByTestId(ids.queryError).allTextContents(), []);
    const events = await p.getByTestId(ids.annotationEvent).evaluateAll((els) => els.map((el) => JSON.parse(el.getAttribute('data-event'))));
    assert.ok(events.length > 0, 'the simulated fleet has High alerts in the last 7 days');

    // The same alerts through the backend directly: one event per alert row.
    const res = await fetch(`${HOST.url}/api/ds/query`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        from: 'now-7d',
        to: 'now',
        queries: [{ refId: 'A', queryType: 'alerts', scope: 'partner', priorities: ['High'], datasource: { uid: HOST.uid } }],
      }),
    });
    assert.equal(res.status, 200);
    const frames = (await res.json()).results.A.frames;
    const rows = frames.reduce((n, f) => n + (f.data.values[0]?.length ?? 0), 0);
    assert.equal(events.length, rows, 'one annotation per alert');
    const now = Date.now();
    for (const e of events) {
      assert.ok(e.title, `event has a title: ${JSON.stringify(e)}`);
      assert.ok(e.tags.includes('High'), `event tagged with its priority: ${JSON.stringify(e)}`);
      assert.ok(e.tags.length >= 2, `event tagged with type and priority: ${JSON.stringify(e)}`);
      assert.ok(e.timeEnd >= e.time && e.timeEnd <= now + 60000, `region ends after it starts, open ones at now: ${JSON.stringify(e)}`);
    }
    await fourth.context.close();
  });

  it('demo mode: Save & test and the site search work without the network simulator', async () => {
    const before = await hostJSON('/api/test/simulator/stats');
    // Grafana's Switch: a hidden checkbox and the visible slider label after it.
    await page.locator(`#${sel.config.demoMode.id} + label`).click();
    assert.ok(await page.locator(`#${sel.config.demoMode.id}`).isChecked(), 'demo mode switched on');
    await page.getByTestId(sel.config.demoNotice).waitFor();
    const demo = await saveAndTest(page, e2e.saveAndTest);
    assert.equal(demo.severity, 'success', demo.message);
    assert.match(demo.message, /^Demo mode: connected to the built-in Locus simulator \(partner \d+: \d+ sites\)/);

    // The query editor (rebuilt for the new instance) searches the demo fleet.
    const site = page.locator(`#${sel.query.site.id}`);
    await site.click();
    await site.fill('a');
    await page.getByRole('option', { name: /#\d+/ }).first().waitFor({ timeout: 15000 });
    await page.keyboard.press('Escape');
    const after = await hostJSON('/api/test/simulator/stats');
    assert.equal(after.Total, before.Total, 'demo mode sent nothing to the network simulator');
  });

  it('no secret reaches the browser or the plugin log', async () => {
    const secrets = [sim.password, sim.clientSecret, wrongPassword];
    for (const { path: p, body } of records.flatMap((r) => r.apiBodies)) {
      for (const s of secrets) {
        assert.ok(!body.includes(s), `a secret appears in the response of ${p}`);
      }
    }
    const logs = await hostText('/api/test/plugin-logs');
    assert.ok(logs.length > 0, 'the plugin logged something (the check is not vacuous)');
    for (const s of secrets) {
      assert.ok(!logs.includes(s), 'a secret appears in the plugin log');
    }
  });

  it('the pages raised no uncaught error', () => {
    assert.deepEqual(records.flatMap((r) => r.pageErrors), []);
  });
});
