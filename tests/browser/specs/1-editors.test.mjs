// The real-browser check proper: the BUILT plugin (dist/module.js + the
// backend binary) in headless Chromium, configured through its config editor
// and queried through its query editor, against the Locus simulator. Writes
// the README's screenshots of both editors.
import assert from 'node:assert/strict';
import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { before, it } from 'node:test';


import { findInverterSite } from '../lib/fleet.mjs';
import { HOST, RUNTIME, grafanaSelectors, hostJSON } from '../lib/host.mjs';
import { ROOT, describeInBrowser } from '../lib/session.mjs';
import {
  entityOptionName,
  fieldLabel,
  fieldOptionName,
  fillSecret,
  queryModel,
  runQuery,
  saveAndTest,
  typeAndEnter,
  typeArrowEnter,
  waitForModel,
} from '../lib/ui.mjs';
import ids from '../shell/test-ids.json' with { type: 'json' };

const SCREENSHOT_MAX_BYTES = 300 * 1024;
const e2e = grafanaSelectors.pages.DataSource;

// Screenshots go to the runtime's artifacts folder; UPDATE_SCREENSHOTS=1
// writes the README's copies in src/img instead, from the Grafana 13.2 run
// (so a test run leaves the tree clean).
const SCREENSHOT_DIR =
  process.env.UPDATE_SCREENSHOTS === '1' && RUNTIME.name === '13.2' ? path.join(ROOT, 'src', 'img') : RUNTIME.artifacts;

async function screenshot(locator, file) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const out = path.join(SCREENSHOT_DIR, file);
  await locator.screenshot({ path: out, animations: 'disabled' });
  const size = statSync(out).size;
  assert.ok(size < SCREENSHOT_MAX_BYTES, `${file} is ${size} bytes; keep it under ${SCREENSHOT_MAX_BYTES}`);
}

describeInBrowser('config and query editors', (session) => {
  const wrongPassword = `wrong-${process.pid}-${Date.now()}`;
  let page;
  let record;

  before(() => {
    session.secrets.push(wrongPassword);
    session.expectHealthErrors = true; // the 401 and 403 Save & test below
  });

  it('loads the built dist/module.js as an AMD module with the shared Grafana modules', async () => {
    ({ page, record } = await session.open());
    assert.equal(record.moduleStatus, 200, 'public/plugins/<id>/module.js served from dist/');
    await page.locator(`#${session.sel.config.baseUrl.id}`).waitFor();
  });

  it('config editor: Save & test reports bad credentials, a foreign partner, then the connected partner', async () => {
    const { sel, sim } = session;
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

  it('query editor, keyboard first: a site, a component and two fields (type, Enter, Tab) change the query model and the returned series', async () => {
    const { sel } = session;
    const { site, inverter, fields, twin } = await findInverterSite();
    await page.getByTestId(sel.query.editor).waitFor();
    const initial = await queryModel(page);
    assert.equal(initial.queryType, 'timeseries');
    assert.ok(!initial.componentId && !(initial.fields ?? []).length, `the new query starts empty: ${JSON.stringify(initial)}`);

    // Site: type the name, Enter takes the first real match (not the typed text), Tab moves on.
    const siteFirst = await typeAndEnter(page, sel.query.site.id, site.name, entityOptionName(site.name, site.id));
    assert.match(siteFirst, entityOptionName(site.name, site.id), 'the first option is the site, not the typed text');
    await waitForModel(page, (m) => m.siteId === String(site.id), `took site ${site.id} by Enter`);
    // The box names the chosen site.
    await page.waitForFunction(([id, v]) => document.getElementById(id)?.value === v, [sel.query.site.id, `${site.name} (#${site.id})`], {
      timeout: 15000,
    });
    assert.notEqual(await page.evaluate(() => document.activeElement?.id), sel.query.site.id, 'Tab left the site box');

    // A search that matches nothing says so, and Enter sets nothing.
    const siteBox = page.locator(`#${sel.query.site.id}`);
    await siteBox.focus();
    await page.keyboard.press('ControlOrMeta+A');
    await siteBox.pressSequentially('zzzz-no-such-site');
    await page.getByRole('option', { name: /^No sites match "zzzz-no-such-site"/ }).waitFor({ timeout: 15000 });
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    assert.equal((await queryModel(page)).siteId, String(site.id), 'Enter on "No sites match" keeps the site');

    await page.getByTestId(sel.query.entityType.testId).getByRole('radio', { name: 'Component' }).check();
    await waitForModel(page, (m) => m.entityType === 'component', 'switched to a component');
    await typeAndEnter(page, sel.query.component.id, inverter.name, entityOptionName(inverter.name, inverter.id));
    await waitForModel(page, (m) => m.componentId === String(inverter.id), `took component ${inverter.id} by Enter`);

    // Fields: the measured W_avg and its modeled twin W_m_avg, by keyboard; each chip names its source.
    await typeArrowEnter(page, sel.query.fields.id, fieldLabel(fields[0]), fieldOptionName(fields[0]));
    const one = await waitForModel(page, (m) => m.fields?.length === 1, `took field ${fields[0].shortName}`);
    assert.deepEqual(one.fields, [fields[0].shortName]);
    const first = await runQuery(page);
    assert.deepEqual(first.errors, []);
    assert.equal(first.state, 'Done');
    assert.equal(first.rows.length, 1, `one field gives one series: ${JSON.stringify(first.rows)}`);
    assert.ok(first.rows[0].nonNull > 0, `the series has data: ${JSON.stringify(first.rows)}`);

    await typeArrowEnter(page, sel.query.fields.id, fieldLabel(twin), fieldOptionName(twin));
    await page.keyboard.press('Tab');
    const two = await waitForModel(page, (m) => m.fields?.length === 2, `took field ${twin.shortName}`);
    assert.deepEqual(two.fields, [fields[0].shortName, twin.shortName]);
    for (const f of [fields[0], twin]) {
      await page.getByRole('button', { name: `Remove ${fieldLabel(f)}` }).waitFor({ timeout: 15000 });
    }
    assert.equal(fieldLabel(fields[0]), 'AC Power (Measured, avg)');
    assert.equal(fieldLabel(twin), 'AC Power (Modeled, avg)');
    const history = await page.getByTestId(ids.queryHistory).textContent();
    assert.ok(
      [`component ${inverter.name}`, fields[0].shortName, twin.shortName].every((part) => history.includes(part)),
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

    const notices = await page.getByTestId(ids.notices).locator('li').allTextContents();
    assert.ok(
      notices.some((n) => /granularity/i.test(n)),
      `the backend's notice about the chosen granularity reaches the panel: ${JSON.stringify(notices)}`
    );

    const sent = record.apiRequests.filter((r) => r.path === '/api/ds/query').map((r) => JSON.parse(r.body));
    const last = sent.at(-1).queries[0];
    assert.equal(last.componentId, String(inverter.id));
    assert.deepEqual(last.fields, two.fields);
    assert.equal(last.datasource.uid, HOST.uid);
    await screenshot(page.getByTestId(ids.querySection), 'screenshot-query.png');
  });
});
