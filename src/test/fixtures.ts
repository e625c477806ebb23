/** Test fixtures shaped like the backend's resource responses (see the resource contract). */
import { ClientInfo, ComponentInfo, FieldInfo, SiteInfo, TimeSeriesQuery, WorstSitesResponse } from '../types';

/** CLIENTS are two clients of the partner. */
export const CLIENTS: ClientInfo[] = [
  { id: 11, name: 'Ada Lovelace', email: 'ada@example.com', tz: 'America/New_York' },
  { id: 12, name: 'Grace Hopper', email: 'grace@example.com', tz: 'America/Los_Angeles' },
];

const STATES = ['CA', 'AZ', 'NY', 'TX', 'MA'];
const CITIES = ['Fresno', 'Tucson', 'Albany', 'Austin', 'Lowell'];

/** makeSites generates a fleet of n sites with predictable names ("Solar Farm 0001", ...). */
export function makeSites(n: number): SiteInfo[] {
  return Array.from({ length: n }, (_, i) => ({
    id: 1000 + i,
    name: `Solar Farm ${String(i + 1).padStart(4, '0')}`,
    clientId: i % 2 === 0 ? 11 : 12,
    city: CITIES[i % CITIES.length],
    state: STATES[i % STATES.length],
    locationTimezone: 'America/Los_Angeles',
    latitude: 36 + i / 10000,
    longitude: -119 - i / 10000,
  }));
}

/** SITES is a fleet of 10,000 sites. */
export const SITES = makeSites(10_000);

/** COMPONENTS is the tree of site 1000, in tree order. */
export const COMPONENTS: ComponentInfo[] = [
  {
    id: 5001,
    name: 'Revenue Meter',
    nodeId: 'MTR.001',
    nodeType: 'METER',
    oem: 'Shark',
    model: '100S',
    parentId: 1000,
    parentType: 'SITE',
    depth: 0,
  },
  {
    id: 5002,
    name: 'Inverter A',
    nodeId: 'INV.00A',
    nodeType: 'INVERTER',
    oem: 'SMA',
    model: 'STP 24000',
    parentId: 5001,
    parentType: 'COMPONENT',
    depth: 1,
  },
  {
    id: 5003,
    name: 'String A1',
    nodeId: 'STR.A01',
    nodeType: 'STRING',
    oem: 'SMA',
    model: 'SC-1',
    parentId: 5002,
    parentType: 'COMPONENT',
    depth: 2,
  },
  {
    id: 5004,
    name: 'Inverter B',
    nodeId: 'INV.00B',
    nodeType: 'INVERTER',
    oem: 'Fronius',
    model: 'Symo 15',
    parentId: 5001,
    parentType: 'COMPONENT',
    depth: 1,
  },
  {
    id: 5005,
    name: 'Weather Station',
    nodeId: 'WX.001',
    nodeType: 'WEATHERSTATION',
    oem: 'Lufft',
    model: 'WS600',
    parentId: 1000,
    parentType: 'SITE',
    depth: 0,
  },
];

/** SITE_FIELDS is the dataavailable of a site (flattened, one entry per shortName). */
export const SITE_FIELDS: FieldInfo[] = [
  {
    shortName: 'W_avg',
    baseField: 'W',
    longName: 'AC Power',
    source: 'Measured',
    unit: 'W',
    grafanaUnit: 'watt',
    aggregation: 'avg',
    granularities: ['5min', '15min', 'hourly', 'daily'],
  },
  {
    shortName: 'W_max',
    baseField: 'W',
    longName: 'AC Power',
    source: 'Measured',
    unit: 'W',
    grafanaUnit: 'watt',
    aggregation: 'max',
    granularities: ['1min', '5min', '15min', 'hourly', 'daily'],
  },
  {
    shortName: 'Wh_sum',
    baseField: 'Wh',
    longName: 'AC Energy',
    source: 'Measured',
    unit: 'Wh',
    grafanaUnit: 'watth',
    aggregation: 'sum',
    granularities: ['1min', '5min', '15min', 'hourly', 'daily', 'monthly', 'yearly'],
  },
  {
    shortName: 'Wh_sum_mod',
    baseField: 'Wh_mod',
    longName: 'Modeled AC Energy',
    source: 'Modeled',
    unit: 'Wh',
    aggregation: 'sum',
    granularities: ['hourly', 'daily', 'monthly'],
    fieldParameters: [
      { param: 'modelType', values: ['simple', 'singleDiode'] },
      { param: 'irradianceSource', values: ['TMY3', 'weatherStation'] },
    ],
  },
  {
    shortName: 'Wh_sum_exp',
    baseField: 'Wh_exp',
    longName: 'Expected AC Energy',
    source: 'Expected',
    unit: 'Wh',
    aggregation: 'sum',
    granularities: ['daily', 'monthly'],
  },
];

/** COMPONENT_FIELDS is the dataavailable of an inverter. */
export const COMPONENT_FIELDS: FieldInfo[] = [
  {
    shortName: 'W_avg',
    baseField: 'W',
    longName: 'AC Power',
    source: 'Measured',
    unit: 'W',
    aggregation: 'avg',
    granularities: ['1min', '5min', '15min', 'hourly'],
  },
  {
    shortName: 'DCV_avg',
    baseField: 'DCV',
    longName: 'DC Voltage',
    source: 'Measured',
    unit: 'V',
    aggregation: 'avg',
    granularities: ['1min', '5min', '15min', 'hourly'],
  },
];

/** BULK_FIELDS is the partner bulk dataavailable. */
export const BULK_FIELDS: FieldInfo[] = [
  {
    shortName: 'Wh_sum',
    baseField: 'Wh',
    longName: 'AC Energy',
    source: 'Measured',
    unit: 'Wh',
    aggregation: 'sum',
    granularities: ['monthly'],
  },
  {
    shortName: 'Wh_sum_exp',
    baseField: 'Wh_exp',
    longName: 'Expected AC Energy',
    source: 'Expected',
    unit: 'Wh',
    aggregation: 'sum',
    granularities: ['monthly'],
  },
];

/** TIMEZONES is the named-zone list. */
export const TIMEZONES = ['UTC', 'America/New_York', 'America/Los_Angeles', 'Europe/Berlin'];

/** NEW_TIME_SERIES is a fresh time series query: a site's, no field yet, Auto granularity, site-local time. */
export const NEW_TIME_SERIES: TimeSeriesQuery = {
  refId: 'A',
  queryType: 'timeseries',
  entityType: 'site',
  fields: [],
  granularity: 'auto',
  timeZoneMode: 'site',
};

/** worstSitesAnswer is a GET /ranking/worst answer: sites as [id, name, performance index], worst first, of total with an index, 12 ranked. */
export function worstSitesAnswer(total: number, sites: Array<[number, string, number]>): WorstSitesResponse {
  return {
    sites: sites.map(([id, name, performanceIndex]) => ({ id, name, performanceIndex })),
    total,
    ranked: 12,
    notices: [],
  };
}
