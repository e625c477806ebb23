// Locus alerts as annotations through the plugin's annotation editor and
// Grafana's prepareQuery -> query -> processEvents path.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';

import { HOST } from '../lib/host.mjs';
import { describeInBrowser, ensureConfigured } from '../lib/session.mjs';
import { pickMultiOption } from '../lib/ui.mjs';
import ids from '../shell/test-ids.json' with { type: 'json' };

/** alertRows counts the alerts the backend returns for a query over the last 7 days. */
async function alertRows(query) {
  const res = await fetch(`${HOST.url}/api/ds/query`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ from: 'now-7d', to: 'now', queries: [{ refId: 'A', datasource: { uid: HOST.uid }, ...query }] }),
  });
  assert.equal(res.status, 200);
  const frames = (await res.json()).results.A.frames;
  return frames.reduce((n, f) => n + (f.data.values[0]?.length ?? 0), 0);
}

describeInBrowser('annotations', (session) => {
  before(() => ensureConfigured(session.sim));

  it('High-priority Locus alerts become one region per alert, titled with site and component, tagged with type and priority', async () => {
    const { sel } = session;
    const { page } = await session.open('&view=annotations');
    await page.getByTestId(sel.annotation.editor).waitFor({ timeout: 30000 });
    await pickMultiOption(page, sel.query.priorities.id, 'High', /^High/);
    await page.getByTestId(ids.runAnnotations).click();
    await page.waitForFunction(
      (id) => Number(document.querySelector(`[data-testid="${id}"]`)?.getAttribute('data-runs')) > 0,
      ids.annotationSection,
      { timeout: 30000 }
    );
    assert.deepEqual(await page.getByTestId(ids.queryError).allTextContents(), []);
    const events = await page
      .getByTestId(ids.annotationEvent)
      .evaluateAll((els) => els.map((el) => JSON.parse(el.getAttribute('data-event'))));
    assert.ok(events.length > 0, 'the simulated fleet has High alerts in the last 7 days');
    assert.equal(events.length, await alertRows({ queryType: 'alerts', scope: 'partner', priorities: ['High'] }), 'one annotation per alert');

    const now = Date.now();
    for (const e of events) {
      assert.ok(e.title, `event has a title: ${JSON.stringify(e)}`);
      // The title says where: "<type> – <site> / <component>", not only the hover text.
      const site = /^Site: (.*)$/m.exec(e.text)?.[1];
      assert.ok(site && e.title.includes(` – ${site}`), `the title names the site ${site}: ${JSON.stringify(e)}`);
      assert.ok(e.tags.includes('High') && e.tags.length >= 2, `event tagged with type and priority: ${JSON.stringify(e)}`);
      assert.ok(e.timeEnd >= e.time && e.timeEnd <= now + 60000, `region ends after it starts, open ones at now: ${JSON.stringify(e)}`);
    }
  });
});
