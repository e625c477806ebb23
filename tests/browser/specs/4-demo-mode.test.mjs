// Demo mode from the config editor: the embedded simulator answers, and
// nothing goes to the network. Runs last: it leaves the data source in demo mode.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';


import { grafanaSelectors, hostJSON } from '../lib/host.mjs';
import { describeInBrowser, ensureConfigured } from '../lib/session.mjs';
import { saveAndTest } from '../lib/ui.mjs';

describeInBrowser('demo mode', (session) => {
  before(() => ensureConfigured(session.sim));

  it('Save & test and the site search work without the network simulator', async () => {
    const { sel } = session;
    const { page } = await session.open();
    const before = await hostJSON('/api/test/simulator/stats');
    // Grafana's Switch: a hidden checkbox and the visible slider label after it.
    await page.locator(`#${sel.config.demoMode.id} + label`).click();
    assert.ok(await page.locator(`#${sel.config.demoMode.id}`).isChecked(), 'demo mode switched on');
    await page.getByTestId(sel.config.demoNotice).waitFor();
    const demo = await saveAndTest(page, grafanaSelectors.pages.DataSource.saveAndTest);
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
});
