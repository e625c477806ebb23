// Template variables in the browser: a multi-value dashboard variable in the
// query editor, and the plugin's variable query editor.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';

import { findInverterSite } from '../lib/fleet.mjs';
import { resource } from '../lib/host.mjs';
import { describeInBrowser, ensureConfigured } from '../lib/session.mjs';
import { entityOptionName, escapeRegExp, fieldOptionName, pickMultiOption, pickOption, runQuery, waitForModel } from '../lib/ui.mjs';
import ids from '../shell/test-ids.json' with { type: 'json' };

describeInBrowser('template variables', (session) => {
  before(() => ensureConfigured(session.sim));

  it('a multi-value $site variable from the URL gives one series per site', async () => {
    const { sel } = session;
    const { sites } = await resource('sites?limit=2');
    assert.equal(sites.length, 2, 'the simulated fleet has two sites');
    const { fields } = await resource(`dataavailable?entityType=site&id=${sites[0].id}`);
    const field = fields.find((f) => f.shortName === 'W_avg') ?? fields.find((f) => f.source === 'Measured');
    assert.ok(field, `site ${sites[0].id} offers a measured field`);

    const { page, record } = await session.open(`&var-site=${sites[0].id}&var-site=${sites[1].id}`);
    await page.getByTestId(sel.query.editor).waitFor({ timeout: 30000 });
    await pickOption(page, sel.query.site.id, '$site', /^\$site.*Dashboard variable/);
    await waitForModel(page, (m) => m.siteId === '$site', 'took $site');
    await pickMultiOption(page, sel.query.fields.id, field.longName, fieldOptionName(field));
    await waitForModel(page, (m) => m.fields?.length === 1, `took field ${field.shortName}`);

    const result = await runQuery(page);
    assert.deepEqual(result.errors, []);
    assert.equal(result.rows.length, 2, `one series per site: ${JSON.stringify(result.rows)}`);
    for (const site of sites) {
      assert.ok(
        result.rows.some((r) => r.name.includes(site.name) && r.nonNull > 0),
        `a series with data for ${site.name}: ${JSON.stringify(result.rows)}`
      );
    }
    const sent = record.apiRequests.filter((r) => r.path === '/api/ds/query').map((r) => JSON.parse(r.body));
    assert.equal(sent.at(-1).queries[0].siteId, `${sites[0].id},${sites[1].id}`, 'the browser interpolated $site to both ids');
  });

  it("variable editor: a site's inverters as variable options, text = name and value = id", async () => {
    const { sel } = session;
    const { site, components } = await findInverterSite();
    const inverters = components.filter((c) => c.nodeType === 'INVERTER');

    const { page } = await session.open('&view=variable');
    await page.getByTestId(sel.variable.editor).waitFor({ timeout: 30000 });
    await pickOption(page, sel.variable.kind.id, 'Comp', /^Components/);
    await pickOption(page, sel.query.site.id, site.name.slice(0, 8), entityOptionName(site.name, site.id));
    await pickOption(page, sel.query.nodeType.id, 'Inver', /^Inverter/);
    await page.waitForFunction(
      ([id, n]) => document.querySelector(`[data-testid="${id}"]`)?.textContent.startsWith(`${n} value`),
      [sel.variable.preview, inverters.length],
      { timeout: 15000 }
    );
    assert.match(await page.getByTestId(sel.variable.preview).textContent(), new RegExp(escapeRegExp(inverters[0].name)));

    await page.getByTestId(ids.runVariable).click();
    await page.waitForFunction((id) => Number(document.querySelector(`[data-testid="${id}"]`)?.getAttribute('data-runs')) > 0, ids.variableSection);
    const options = await page.getByTestId(ids.variableOption).evaluateAll((els) => els.map((el) => el.textContent));
    assert.deepEqual(
      options.sort(),
      inverters.map((c) => `${c.name} = ${c.id}`).sort(),
      'one option per inverter of the site, text = name, value = id'
    );
  });
});
