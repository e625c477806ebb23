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
  fieldOptionName,
  fillSecret,
  pickMultiOption,
  pickOption,
  queryModel,
  runQuery,
  saveAndTest,
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

  it('query editor: a site, a component and two fields change the query model and the returned series', async () => {
    const { sel } = session;
    const { site, inverter, fields } = await findInverterSite();
    await page.getByTestId(sel.query.editor).waitFor();
    const initial = await queryModel(page);
    assert.equal(initial.queryType, 'timeseries');
    assert.ok(!initial.componentId && !(initial.fields ?? []).length, `the new query starts empty: ${JSON.stringify(initial)}`);

    // Options carry "#<id>"; the typed text itself is also offered as a custom value, which must not be picked.
    await pickOption(page, sel.query.site.id, site.name.slice(0, 8), entityOptionName(site.name, site.id));
    await waitForModel(page, (m) => m.siteId === String(site.id), `took site ${site.id}`);

    await page.getByTestId(sel.query.entityType.testId).getByRole('radio', { name: 'Component' }).check();
    await waitForModel(page, (m) => m.entityType === 'component', 'switched to a component');
    await pickOption(page, sel.query.component.id, inverter.name, entityOptionName(inverter.name, inverter.id));
    await waitForModel(page, (m) => m.componentId === String(inverter.id), `took component ${inverter.id}`);

    await pickMultiOption(page, sel.query.fields.id, fields[0].longName, fieldOptionName(fields[0]));
    const one = await waitForModel(page, (m) => m.fields?.length === 1, `took field ${fields[0].shortName}`);
    assert.deepEqual(one.fields, [fields[0].shortName]);

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
