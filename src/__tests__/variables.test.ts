import { DataQueryRequest } from '@grafana/data';

import { makeDataSource } from '../test/datasource';
import { worstSitesAnswer } from '../test/fixtures';
import { FakeBackend } from '../test/fakeBackend';
import { installTemplateSrv } from '../test/fakeTemplateSrv';
import { LocusVariableQuery } from '../types';

describe('template variables', () => {
  let backend: FakeBackend;
  beforeEach(() => {
    backend = new FakeBackend().install();
    installTemplateSrv([
      { name: 'client', current: '11' },
      { name: 'site', current: ['1000', '1001'] },
    ]);
  });

  const values = (q: Partial<LocusVariableQuery>) =>
    makeDataSource().variableValues({ refId: 'V', kind: 'sites', ...q } as LocusVariableQuery);

  it('lists clients with text = name and value = id', async () => {
    expect(await values({ kind: 'clients' })).toEqual([
      { text: 'Ada Lovelace', value: '11' },
      { text: 'Grace Hopper', value: '12' },
    ]);
  });

  it('lists every site of a client (interpolated), asking the backend for all matches', async () => {
    const sites = await values({ kind: 'sites', clientId: '$client', search: 'Farm 00' });
    expect(backend.calls('sites')[0].params).toEqual({ clientId: '11', query: 'Farm 00', limit: '0' });
    expect(sites[0]).toEqual({ text: 'Solar Farm 0001', value: '1000' });
    expect(sites.some((s) => String(s.text).startsWith('⚠'))).toBe(false);
  });

  it('adds a visible warning option when the backend answers fewer sites than match', async () => {
    backend.overrides.set('sites', () => ({ sites: [{ id: 1, name: 'One' }], total: 3 }));
    expect(await values({ kind: 'sites' })).toEqual([
      { text: 'One', value: '1' },
      { text: '⚠ 1 of 3 sites listed', value: '' },
    ]);
  });

  it('lists the components of a multi-value site scope as the union, optionally of one node type', async () => {
    // $site is 1000,1001: only 1000 has inverters; the union still lists them.
    expect(await values({ kind: 'components', siteId: '$site', nodeType: 'inverter' })).toEqual([
      { text: 'Inverter A', value: '5002' },
      { text: 'Inverter B', value: '5004' },
    ]);
    expect(backend.calls('components')[0].params).toEqual({ siteId: '1000,1001', nodeType: 'INVERTER', limit: '0' });
  });

  it('shows the backend warning of a cut field union as an option', async () => {
    backend.overrides.set('dataavailable', () => ({
      fields: [],
      warning:
        'fields of the first 20 of 600 sites only (one request each; data source setting maxFieldUnionEntities): choose fewer, or raise the setting',
    }));
    expect(await values({ kind: 'fields', siteId: '$site' })).toEqual([
      {
        text: '⚠ fields of the first 20 of 600 sites only (one request each; data source setting maxFieldUnionEntities): choose fewer, or raise the setting',
        value: '',
      },
    ]);
    expect(backend.calls('dataavailable')[0].params).toEqual({ entityType: 'site', id: '1000,1001' });
  });

  it('lists the fields of a component (value = shortName) and nothing without a scope', async () => {
    expect(await values({ kind: 'fields', siteId: '1000', componentId: '5002' })).toEqual([
      { text: 'AC Power (Measured, avg) · W_avg', value: 'W_avg' },
      { text: 'DC Voltage (Measured, avg) · DCV_avg', value: 'DCV_avg' },
    ]);
    expect(await values({ kind: 'fields' })).toEqual([]);
    expect(await values({ kind: 'components' })).toEqual([]);
  });

  it("lists the ranking's worst sites over the variable's range, cut at its limit, with a warning option", async () => {
    backend.overrides.set('ranking/worst', () =>
      worstSitesAnswer(9, [
        [1003, 'Solar Farm 0004', 0.41],
        [1001, '', 0.62],
      ])
    );
    const ds = makeDataSource();
    const q = { refId: 'V', kind: 'worstSites', limit: 2, clientId: '$client' } as LocusVariableQuery;
    expect(await ds.variableValues(q, {}, undefined, { from: 1000, to: 2000 })).toEqual([
      { text: 'Solar Farm 0004', value: '1003' },
      { text: 'Site 1001', value: '1001' },
      { text: '⚠ worst 2 of 9 sites by performance index over the range (limit 2)', value: '' },
    ]);
    expect(backend.calls('ranking/worst')[0].params).toEqual({ from: '1000', to: '2000', limit: '2', clientId: '11' });
  });

  it('asks for the default 10 worst sites when the limit is missing or invalid, and adds no warning when all are listed', async () => {
    backend.overrides.set('ranking/worst', () => ({
      sites: [{ id: 1000, name: 'Solar Farm 0001', performanceIndex: 0.9 }],
      total: 1,
      ranked: 1,
      notices: [],
    }));
    const ds = makeDataSource();
    for (const limit of [undefined, 0, 2.5, 5000]) {
      const q = { refId: 'V', kind: 'worstSites', limit, siteId: '$site' } as LocusVariableQuery;
      expect(await ds.variableValues(q, {}, undefined, { from: 1, to: 2 })).toEqual([
        { text: 'Solar Farm 0001', value: '1000' },
      ]);
    }
    expect(backend.calls('ranking/worst').map((c) => c.params)).toEqual(
      Array(4).fill({ from: '1', to: '2', limit: '10', siteId: '1000,1001' })
    );
  });

  it("passes the dashboard's range to a worst-sites variable", async () => {
    backend.overrides.set('ranking/worst', () => ({ sites: [], total: 0, ranked: 0, notices: [] }));
    const ds = makeDataSource();
    const request = {
      targets: [{ refId: 'V', kind: 'worstSites', limit: 5 }],
      scopedVars: {},
      range: { from: { valueOf: () => 1_700_000_000_000 }, to: { valueOf: () => 1_700_604_800_000 } },
    } as unknown as DataQueryRequest<LocusVariableQuery>;
    await new Promise((resolve, reject) =>
      (ds.variables as any).query(request).subscribe({ next: resolve, error: reject })
    );
    expect(backend.calls('ranking/worst')[0].params).toEqual({
      from: '1700000000000',
      to: '1700604800000',
      limit: '5',
    });
  });

  it('answers Grafana with a text/value frame and aborts the fetch when unsubscribed', async () => {
    const ds = makeDataSource();
    const request = {
      targets: [{ refId: 'V', kind: 'clients' }],
      scopedVars: {},
    } as unknown as DataQueryRequest<LocusVariableQuery>;
    const frames = await new Promise<unknown[]>((resolve, reject) =>
      (ds.variables as any)
        .query(request)
        .subscribe({ next: (r: { data: unknown[] }) => resolve(r.data), error: reject })
    );
    const frame = frames[0] as { fields: Array<{ name: string; values: string[] }> };
    expect(frame.fields.map((f) => [f.name, f.values])).toEqual([
      ['text', ['Ada Lovelace', 'Grace Hopper']],
      ['value', ['11', '12']],
    ]);

    backend.hanging.add('sites');
    const sub = (ds.variables as any).query({ targets: [{ refId: 'V', kind: 'sites' }], scopedVars: {} }).subscribe({});
    sub.unsubscribe();
    const call = backend.calls('sites').pop()!;
    expect(call.aborted).toBe(true);
  });
});
