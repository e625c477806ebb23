// Facts about the simulated fleet the specs pick from, read through the
// plugin's own resource routes (as the editors see them).
import assert from 'node:assert/strict';

import { resource } from './host.mjs';

/** findInverterSite returns a site with an inverter, two measured 5-minute fields of it (W_avg first) and W_avg's modeled twin W_m_avg. */
export async function findInverterSite() {
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
    // W_m_avg: the modeled twin of W_avg (same long name and aggregation, another source).
    const twin = fields.find((f) => f.shortName === 'W_m_avg' && f.granularities?.includes('5min'));
    if (power && other && twin) {
      return { site, inverter, components, fields: [power, other], twin };
    }
  }
  assert.fail('no simulated site has an inverter with W_avg, W_m_avg and a second measured avg field');
}
