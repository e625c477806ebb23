import { CoreApp, DataQueryRequest, dateTime } from '@grafana/data';
import { lastValueFrom } from 'rxjs';

import { makeDataSource } from '../test/datasource';
import { NEW_TIME_SERIES } from '../test/fixtures';
import { FakeBackend } from '../test/fakeBackend';
import { installTemplateSrv } from '../test/fakeTemplateSrv';
import { resolveDashboardZone } from '../timezone';
import { LocusQuery } from '../types';

const VARS = [
  { name: 'site', current: '1000', options: ['1000', '1001', '1002'] },
  { name: 'sites', current: ['1000', '1001'], options: ['1000', '1001', '1002'] },
  { name: 'allSites', current: '$__all', options: ['1000', '1001', '1002'] },
  { name: 'customAll', current: '$__all', options: ['1000'], allValue: '1000,1002' },
  { name: 'field', current: ['W_avg', 'Wh_sum'], options: ['W_avg', 'Wh_sum'] },
  { name: 'tz', current: 'Europe/Berlin' },
  { name: 'noStation', current: [] },
];

describe('DataSource', () => {
  beforeEach(() => installTemplateSrv(VARS));

  it('interpolates a single-value variable into one id', () => {
    const ds = makeDataSource();
    const q = ds.applyTemplateVariables(
      { refId: 'A', queryType: 'timeseries', siteId: '$site', fields: ['W_avg'] },
      {}
    );
    expect(q).toMatchObject({ siteId: '1000', fields: ['W_avg'] });
  });

  it('interpolates a multi-value variable into a comma-separated id list', () => {
    const ds = makeDataSource();
    const q = ds.applyTemplateVariables(
      { refId: 'A', queryType: 'timeseries', siteId: '${sites}', fields: ['$field'] },
      {}
    );
    expect(q).toMatchObject({ siteId: '1000,1001', fields: ['W_avg', 'Wh_sum'] });
  });

  it('interpolates "All" into every id, or into the custom all value', () => {
    const ds = makeDataSource();
    expect(
      ds.applyTemplateVariables({ refId: 'A', queryType: 'latest', componentId: '$allSites', fields: ['W_avg'] }, {})
    ).toMatchObject({
      componentId: '1000,1001,1002',
    });
    expect(
      ds.applyTemplateVariables({ refId: 'A', queryType: 'alerts', scope: 'site', siteId: '[[customAll]]' }, {})
    ).toMatchObject({
      siteId: '1000,1002',
    });
  });

  it('prefers scoped variables (repeated panels) and normalises lists', () => {
    const ds = makeDataSource();
    const q = ds.applyTemplateVariables(
      { refId: 'A', queryType: 'metadata', kind: 'components', siteId: '$site, 1001,1001', nodeType: 'INVERTER' },
      { site: { text: 'Other', value: '1002' } }
    );
    expect(q).toMatchObject({ siteId: '1002,1001', nodeType: 'INVERTER' });
  });

  it('interpolates zones, field parameters, alert filters and bulk client ids', () => {
    const ds = makeDataSource();
    expect(
      ds.applyTemplateVariables(
        {
          refId: 'A',
          queryType: 'timeseries',
          siteId: '1',
          fields: ['W_avg'],
          timeZoneMode: 'named',
          timeZone: '$tz',
          fieldParams: { modelType: 'simple' },
        },
        {}
      )
    ).toMatchObject({ timeZone: 'Europe/Berlin', fieldParams: { modelType: 'simple' } });
    expect(
      ds.applyTemplateVariables({ refId: 'A', queryType: 'bulk', fields: ['$field'], clientId: '$site' }, {})
    ).toMatchObject({
      fields: ['W_avg', 'Wh_sum'],
      clientId: '1000',
    });
  });

  it('drops incomplete and hidden queries', () => {
    const ds = makeDataSource();
    expect(ds.filterQuery({ refId: 'A', queryType: 'timeseries', fields: [] })).toBe(false);
    expect(ds.filterQuery({ refId: 'A', queryType: 'timeseries', siteId: '1', fields: [] })).toBe(false);
    expect(ds.filterQuery({ refId: 'A', queryType: 'timeseries', siteId: '1', fields: ['W_avg'] })).toBe(true);
    expect(ds.filterQuery({ refId: 'A', queryType: 'timeseries', siteId: '1', fields: ['W_avg'], hide: true })).toBe(
      false
    );
    expect(
      ds.filterQuery({ refId: 'A', queryType: 'timeseries', entityType: 'component', siteId: '1', fields: ['W_avg'] })
    ).toBe(false);
    expect(ds.filterQuery({ refId: 'A', queryType: 'alerts', scope: 'partner' })).toBe(true);
    expect(ds.filterQuery({ refId: 'A', queryType: 'alerts', scope: 'component' })).toBe(false);
    expect(ds.filterQuery({ refId: 'A', queryType: 'metadata', kind: 'clients' })).toBe(true);
    expect(ds.filterQuery({ refId: 'A', queryType: 'metadata', kind: 'installinfo' })).toBe(false);
    expect(ds.filterQuery({ refId: 'A' } as LocusQuery)).toBe(false);
  });

  it('defaults new queries to a site time series with Auto granularity in site-local time', () => {
    expect(makeDataSource().getDefaultQuery(CoreApp.PanelEditor)).toEqual(NEW_TIME_SERIES);
  });

  it('summarises queries for query history', () => {
    const ds = makeDataSource();
    expect(
      ds.getQueryDisplayText({
        refId: 'A',
        queryType: 'timeseries',
        siteId: '1000',
        fields: ['W_avg', 'Wh_sum'],
        granularity: 'auto',
        alias: '{{site}}',
      })
    ).toBe('Time series · site #1000 · W_avg, Wh_sum · granularity auto · zone site local · legend "{{site}}"');
    expect(
      ds.getQueryDisplayText({
        refId: 'A',
        queryType: 'alerts',
        scope: 'partner',
        priorities: ['High'],
        status: 'open',
      })
    ).toBe('Alerts · partner · priority High · open');
    expect(ds.getQueryDisplayText({ refId: 'A', queryType: 'bulk', fields: ['Wh_sum'], latestMonthOnly: true })).toBe(
      'Fleet bulk · Wh_sum · table · latest month'
    );
  });

  it('sends the dashboard zone for the dashboard time zone mode, interpolated, to /api/ds/query', async () => {
    const backend = new FakeBackend().install();
    const ds = makeDataSource();
    const request = {
      requestId: 'r1',
      interval: '1m',
      intervalMs: 60_000,
      range: { from: dateTime(0), to: dateTime(3_600_000), raw: { from: 'now-1h', to: 'now' } },
      scopedVars: {},
      timezone: 'America/Chicago',
      app: CoreApp.Dashboard,
      startTime: 0,
      targets: [
        { refId: 'A', queryType: 'timeseries', siteId: '$sites', fields: ['W_avg'], timeZoneMode: 'dashboard' },
        { refId: 'B', queryType: 'timeseries', siteId: '1000', fields: [] },
      ],
    } as unknown as DataQueryRequest<LocusQuery>;
    await lastValueFrom(ds.query(request));
    const body = backend.queries[0] as { queries: Array<Record<string, unknown>> };
    expect(body.queries[0]).toMatchObject({
      refId: 'A',
      siteId: '1000,1001',
      timeZoneMode: 'dashboard',
      timeZone: 'America/Chicago',
    });
    // Only the dashboard mode carries the dashboard's zone.
    expect(body.queries[1]).toMatchObject({ refId: 'B', timeZoneMode: 'site' });
    expect(body.queries[1].timeZone).toBeUndefined();
  });
});

describe('DataSource.query with a variable that interpolated to nothing', () => {
  beforeEach(() => installTemplateSrv(VARS));

  const request = (targets: LocusQuery[]) =>
    ({
      requestId: 'r2',
      interval: '1m',
      intervalMs: 60_000,
      range: { from: dateTime(0), to: dateTime(3_600_000), raw: { from: 'now-1h', to: 'now' } },
      scopedVars: {},
      timezone: 'utc',
      app: CoreApp.Dashboard,
      startTime: 0,
      targets,
    }) as unknown as DataQueryRequest<LocusQuery>;
  /** noStation asks the weather station of a site that has none: its variable is empty. */
  const noStation: LocusQuery = {
    refId: 'A',
    queryType: 'timeseries',
    entityType: 'component',
    componentId: '$noStation',
    fields: ['POA_avg'],
  };

  it('skips that query and sends the others', async () => {
    const backend = new FakeBackend().install();
    const ds = makeDataSource();
    await lastValueFrom(
      ds.query(request([noStation, { refId: 'B', queryType: 'timeseries', siteId: '$site', fields: ['W_avg'] }]))
    );
    const body = backend.queries[0] as { queries: Array<Record<string, unknown>> };
    expect(body.queries.map((q) => q.refId)).toEqual(['B']);
  });

  it('answers with no data and no backend call when nothing is left', async () => {
    const backend = new FakeBackend().install();
    const ds = makeDataSource();
    const res = await lastValueFrom(ds.query(request([noStation])));
    expect(res.data).toEqual([]);
    expect(res.errors ?? []).toEqual([]);
    expect(backend.queries).toHaveLength(0);
  });
});

describe('resolveDashboardZone', () => {
  it('maps Grafana zone settings to IANA names', () => {
    expect(resolveDashboardZone('utc')).toBe('UTC');
    expect(resolveDashboardZone('Europe/Berlin')).toBe('Europe/Berlin');
    // jest runs with TZ=UTC, so the browser's zone is UTC.
    expect(resolveDashboardZone('browser')).toBe('UTC');
    expect(resolveDashboardZone(undefined)).toBe('UTC');
  });
});
