/**
 * KPI fields of site time series (Go: pkg/query/kpi.go, docs/kpi.md): the
 * backend computes them per bucket from the raw Locus fields listed here.
 */
import { FieldInfo } from './types';

interface KpiField {
  name: string;
  longName: string;
  unit: string;
  /** The Locus fields the backend fetches to compute it. */
  inputs: string[];
}

/** Performance ratio also reads the site's modelled POAh_m_sum where the site offers it (else its weather station's POAh_sum). */

/** KPI_FIELDS lists the KPI fields a site time series query accepts. */
export const KPI_FIELDS: KpiField[] = [
  { name: 'specificYield', longName: 'Specific yield (Yf, IEC 61724-1)', unit: 'kWh/kWp', inputs: ['Wh_sum'] },
  { name: 'normalisedPower', longName: 'Normalised power (P/P0)', unit: 'W/kWp', inputs: ['W_avg'] },
  {
    name: 'performanceIndex',
    longName: 'Performance index (measured ÷ modelled energy)',
    unit: '',
    inputs: ['Wh_sum', 'Wh_m_sum'],
  },
  {
    name: 'performanceRatio',
    longName: 'Performance ratio (IEC 61724-1; weather station or modelled POA)',
    unit: '',
    inputs: ['Wh_sum'],
  },
];

/** BULK_KPI_FIELDS lists the KPI fields a fleet bulk query accepts (Go: BulkKPIFieldNames). */
export const BULK_KPI_FIELDS: KpiField[] = [
  { name: 'specificYield', longName: 'Specific yield (Yf, IEC 61724-1)', unit: 'kWh/kWp', inputs: ['Wh_sum'] },
  {
    name: 'performanceIndex',
    longName: 'Performance index (measured ÷ weather-adjusted expected energy)',
    unit: '',
    inputs: ['Wh_sum', 'Wh_e_sum', 'GHIh_m_sum', 'GHIh_t_sum'],
  },
];

/** kpiFieldInfos offers the KPIs (of a site by default, or of bulk data) whose inputs are available, at the granularities all inputs share. */
export function kpiFieldInfos(available: FieldInfo[], kpis: KpiField[] = KPI_FIELDS): FieldInfo[] {
  const byName = new Map(available.map((f) => [f.shortName, f]));
  const out: FieldInfo[] = [];
  for (const k of kpis) {
    const inputs = k.inputs.map((n) => byName.get(n));
    if (inputs.some((f) => !f)) {
      continue;
    }
    const grans = (inputs[0] as FieldInfo).granularities.filter((g) =>
      inputs.every((f) => (f as FieldInfo).granularities.includes(g))
    );
    out.push({
      shortName: k.name,
      baseField: k.name,
      longName: k.longName,
      source: 'KPI',
      unit: k.unit,
      aggregation: '',
      granularities: grans,
    });
  }
  return out;
}

/** expandKpiFields replaces KPI names by their input fields (for the plan preview), keeping order and uniqueness. */
export function expandKpiFields(fields: string[]): string[] {
  const out: string[] = [];
  for (const f of fields) {
    const k = KPI_FIELDS.find((x) => x.name === f);
    for (const n of k ? k.inputs : [f]) {
      if (!out.includes(n)) {
        out.push(n);
      }
    }
  }
  return out;
}
