import { BULK_KPI_FIELDS, expandKpiFields, kpiFieldInfos } from '../kpi';
import { FieldInfo } from '../types';

const field = (shortName: string, granularities: string[]): FieldInfo => ({
  shortName,
  baseField: shortName.replace(/_(sum|avg)$/, ''),
  longName: shortName,
  source: 'Measured',
  unit: 'Wh',
  aggregation: 'sum',
  granularities,
});

describe('kpiFieldInfos', () => {
  it('offers a KPI only when the site has every input, at the granularities they share', () => {
    const got = kpiFieldInfos([
      field('Wh_sum', ['5min', 'hourly', 'daily']),
      field('Wh_m_sum', ['hourly', 'daily']),
      field('W_avg', ['5min', 'hourly']),
    ]);
    expect(got.map((f) => [f.shortName, f.granularities])).toEqual([
      ['specificYield', ['5min', 'hourly', 'daily']],
      ['normalisedPower', ['5min', 'hourly']],
      ['performanceIndex', ['hourly', 'daily']],
      // PR needs only energy from the site's list: its POA comes from a weather station or POAh_m_sum.
      ['performanceRatio', ['5min', 'hourly', 'daily']],
    ]);
    expect(got.every((f) => f.source === 'KPI')).toBe(true);
  });
});

describe('bulk KPIs', () => {
  it('offers performance index only with the GHI fields it needs', () => {
    const monthly = ['monthly'];
    const base = [field('Wh_sum', monthly), field('Wh_e_sum', monthly), field('GHIh_m_sum', monthly)];
    expect(kpiFieldInfos(base, BULK_KPI_FIELDS).map((f) => f.shortName)).toEqual(['specificYield']);
    expect(kpiFieldInfos([...base, field('GHIh_t_sum', monthly)], BULK_KPI_FIELDS).map((f) => f.shortName)).toEqual([
      'specificYield',
      'performanceIndex',
    ]);
  });
});

describe('expandKpiFields', () => {
  it('replaces KPIs by their inputs once, keeping Locus fields', () => {
    expect(expandKpiFields(['W_avg', 'performanceIndex', 'specificYield'])).toEqual(['W_avg', 'Wh_sum', 'Wh_m_sum']);
  });
});
