import { fireEvent, screen, waitFor, within } from '@testing-library/react';

import { selectors } from '../../selectors';
import { NEW_TIME_SERIES } from '../../test/fixtures';
import { renderQueryEditor } from '../../test/harness';
import {
  chooseOption,
  comboboxNamed,
  findOption,
  openCombobox,
  openOptions,
  optionNames,
  settle,
  typeInto,
} from '../../test/ui';
import { TimeSeriesQuery } from '../../types';

const base = NEW_TIME_SERIES;
const combobox = comboboxNamed;

describe('TimeSeriesEditor', () => {
  it('searches sites server-side among 10,000 and writes the chosen site id', async () => {
    const { backend, last, runs } = renderQueryEditor(base);
    typeInto(combobox(selectors.query.site.label), 'Farm 0042');
    await chooseOption(/Solar Farm 0042/);
    const searches = backend.calls('sites');
    expect(searches[searches.length - 1].params).toMatchObject({ query: 'Farm 0042', limit: '50' });
    expect(last()).toMatchObject({ queryType: 'timeseries', siteId: '1041' });
    expect(runs.count).toBeGreaterThan(0);
  });

  it('narrows the site search to a client without storing the client', async () => {
    const { backend, last } = renderQueryEditor(base);
    openCombobox(combobox(selectors.query.client.label + ' - optional'));
    await chooseOption(/^Grace Hopper/);
    typeInto(combobox(selectors.query.site.label), 'Farm 000');
    await chooseOption(/^Solar Farm 0002/);
    expect(backend.calls('sites').pop()!.params).toEqual({ query: 'Farm 000', clientId: '12', limit: '50' });
    expect(last()).toMatchObject({ siteId: '1001' });
    expect(last()).not.toHaveProperty('clientId');
  });

  it('says how many more sites match when the search is capped', async () => {
    renderQueryEditor(base);
    typeInto(combobox(selectors.query.site.label), 'Solar');
    await findOption(/Solar Farm 0001/);
    // The sites come first (Enter picks the first real match) under a heading that says the list is capped.
    expect(optionNames()[0]).toMatch(/^Solar Farm 0001/);
    expect(screen.getAllByTestId('combobox-option-group').map((g) => g.textContent)).toEqual([
      'Showing 50 of 10000 sites: type more of a name, city, state or id to narrow',
    ]);
  });

  it('offers template variables as sites', async () => {
    const { last } = renderQueryEditor(base, [{ name: 'site', current: ['1000', '1001'], options: ['1000', '1001'] }]);
    typeInto(combobox(selectors.query.site.label), '$si');
    await chooseOption(/^\$site/);
    expect(last().queryType === 'timeseries' && last()).toMatchObject({ siteId: '$site' });
  });

  it('loads fields from dataavailable grouped by source and writes a multi-selection', async () => {
    const { backend, last } = renderQueryEditor({ ...base, siteId: '1000' });
    await waitFor(() => expect(backend.calls('dataavailable')).toHaveLength(1));
    expect(backend.calls('dataavailable')[0].params).toEqual({ entityType: 'site', id: '1000' });
    openCombobox(combobox(selectors.query.fields.label));
    await findOption(/^AC Power \(Measured, avg\)/);
    const groups = screen.getAllByTestId('combobox-option-group').map((g) => g.textContent);
    // The site's KPI fields (computed by the backend from its Locus fields) come last.
    expect(groups).toEqual(['Measured', 'Modeled', 'Expected', 'KPI']);
    expect(optionNames().join('|')).toContain('W_avg · W · 5min, 15min, hourly, daily');
    expect(optionNames().join('|')).toContain('specificYield · kWh/kWp');
    await chooseOption(/^AC Power \(Measured, avg\)/);
    await chooseOption(/^AC Energy \(Measured, sum\)/);
    expect(last()).toMatchObject({ fields: ['W_avg', 'Wh_sum'] });
  });

  it('shows no field parameters for fields without them', async () => {
    const { backend } = renderQueryEditor({ ...base, siteId: '1000', fields: ['W_avg'] });
    await waitFor(() => expect(backend.calls('dataavailable')).toHaveLength(1));
    await settle();
    expect(screen.queryByText('modelType')).not.toBeInTheDocument();
  });

  it('shows the parameters of fields that have them, with values from dataavailable', async () => {
    const { last } = renderQueryEditor({ ...base, siteId: '1000', fields: ['Wh_sum_mod'] });
    // Deprecated (Locus ignores them): hidden until the user opts in.
    fireEvent.click(await screen.findByLabelText(/^Model parameters/));
    const param = await screen.findByTestId(selectors.query.fieldParam('modelType').id);
    expect(screen.getByTestId(selectors.query.fieldParam('irradianceSource').id)).toBeInTheDocument();
    openCombobox(param);
    await chooseOption('singleDiode');
    expect(last()).toMatchObject({ fieldParams: { modelType: 'singleDiode' } });
  });

  it('shows the refusal the plan announces and offers what the plan says the fields offer', async () => {
    const { backend } = renderQueryEditor({
      ...base,
      siteId: '1000',
      fields: ['W_avg', 'Wh_sum'],
      granularity: '1min',
    });
    const refusal =
      'granularity "1min" is not offered by "W_avg" (W_avg offers 5min, 15min, hourly, daily): choose auto or a granularity every field offers';
    backend.overrides.set('plan', () => ({
      refId: 'A',
      requests: 0,
      offered: ['5min', '15min', 'hourly', 'daily'],
      error: refusal,
      status: 400,
    }));
    const hint = await screen.findByTestId(selectors.query.planHint);
    expect(hint).toHaveTextContent('This query will be refused');
    expect(hint).toHaveTextContent(refusal);
    await openOptions();
    openCombobox(combobox(selectors.query.granularity.label));
    await findOption(/^Auto/);
    const names = optionNames();
    expect(names.some((n) => n.startsWith('monthly'))).toBe(false);
    expect(names.some((n) => n.startsWith('15min'))).toBe(true);
    expect(names.some((n) => n.includes('Not offered by every chosen field'))).toBe(true);
  });

  it('chooses what happens to buckets cut by the range: exact by default, omit stored', async () => {
    const { last } = renderQueryEditor({ ...base, siteId: '1000', fields: ['Wh_sum'] });
    await openOptions();
    const edges = combobox(selectors.query.edges.label);
    expect(edges).toHaveValue('Exact');
    openCombobox(edges);
    await chooseOption(/^Omit/);
    expect(last()).toMatchObject({ edges: 'omit' });
  });

  it('shows what the backend plans for the panel: granularity, zone, requests and notices', async () => {
    const { backend } = renderQueryEditor({ ...base, siteId: '1000', fields: ['W_avg'] });
    const hint = await screen.findByTestId(selectors.query.planHint);
    expect(hint).toHaveTextContent('Auto resolves to 15min for this panel · America/Los_Angeles · 2 requests');
    expect(hint).toHaveTextContent('Auto chose 15min: the finest granularity within 1000 points');
    const call = backend.calls('plan')[0];
    expect(call.params).toMatchObject({ refId: 'A', from: '1700000000000', to: '1700086400000' });
    expect(JSON.parse(call.params.queries)).toEqual([
      expect.objectContaining({
        refId: 'A',
        queryType: 'timeseries',
        siteId: '1000',
        fields: ['W_avg'],
        granularity: 'auto',
      }),
    ]);
  });

  it('counts the requests for partial buckets at the range edges the plan recomputes', async () => {
    const { backend } = renderQueryEditor({ ...base, siteId: '1000', fields: ['Wh_sum'], granularity: 'daily' });
    const span = (g: string, chunks: number) => ({ granularity: g, start: '', end: '', chunks });
    backend.overrides.set('plan', () => ({
      refId: 'A',
      requests: 3,
      offered: ['15min', 'hourly', 'daily'],
      entities: [
        {
          entity: 'site 1000 "Solar Farm 0000"',
          id: 1000,
          timeZone: 'America/Los_Angeles',
          granularity: 'daily',
          auto: false,
          offered: ['15min', 'hourly', 'daily'],
          requests: 3,
          from: '',
          to: '',
          interior: span('daily', 1),
          edges: [
            { fields: ['Wh_sum'], start: '', end: '', parts: [span('hourly', 1)] },
            { fields: ['Wh_sum'], start: '', end: '', parts: [span('hourly', 1)] },
          ],
          notices: ['Recomputed the partial daily buckets at the range edges from hourly data'],
        },
      ],
    }));
    const hint = await screen.findByTestId(selectors.query.planHint);
    expect(hint).toHaveTextContent(
      "Granularity daily for this panel · America/Los_Angeles · 3 requests (2 for partial buckets at the range's edges)"
    );
    expect(hint).toHaveTextContent('Recomputed the partial daily buckets at the range edges from hourly data');
  });

  it("sends the panel's other time series queries, as they will run, to be planned together", async () => {
    const a: TimeSeriesQuery = { ...base, siteId: '1000', fields: ['W_avg'] };
    const panel = [
      a,
      { ...base, refId: 'B', siteId: '$site', fields: ['W_m_avg'], timeZoneMode: 'dashboard' as const },
      { ...base, refId: 'C', siteId: '1000', fields: ['W_avg'], hide: true },
      { refId: 'D', queryType: 'alerts' as const, scope: 'partner' as const },
      { ...base, refId: 'E', siteId: '1000', fields: [] },
    ];
    const { backend } = renderQueryEditor(a, [{ name: 'site', current: ['1001'], options: ['1001'] }], panel);
    await screen.findByTestId(selectors.query.planHint);
    const sent = JSON.parse(backend.calls('plan')[0].params.queries);
    expect(sent.map((q: TimeSeriesQuery) => q.refId)).toEqual(['A', 'B']);
    expect(sent[1]).toMatchObject({ siteId: '1001', timeZoneMode: 'dashboard' });
    expect(sent[1].timeZone).toBeTruthy();
  });

  it('picks a component from the site tree, searchable by node ID', async () => {
    const { last, backend } = renderQueryEditor({ ...base, entityType: 'component', siteId: '1000' });
    await waitFor(() => expect(backend.calls('sites/1000/components')).toHaveLength(1));
    await settle();
    typeInto(combobox(selectors.query.component.label), 'INV.00B');
    const option = await findOption(/Inverter B/);
    expect(option).toHaveTextContent('Inverter · Fronius Symo 15 · node INV.00B · #5004');
    expect(optionNames().some((n) => n.includes('Inverter A'))).toBe(false);
    await chooseOption(/Inverter B/);
    expect(last()).toMatchObject({ entityType: 'component', siteId: '1000', componentId: '5004' });
    await waitFor(() =>
      expect(backend.calls('dataavailable').map((c) => c.params)).toContainEqual({
        entityType: 'component',
        id: '5004',
      })
    );
  });

  it('indents components by depth', async () => {
    const { backend } = renderQueryEditor({ ...base, entityType: 'component', siteId: '1000' });
    await waitFor(() => expect(backend.calls('sites/1000/components')).toHaveLength(1));
    await settle();
    openCombobox(combobox(selectors.query.component.label));
    const option = await findOption(/String A1/);
    expect(option.textContent).toMatch(/^\u00a0{3}└\u00a0String A1/);
    expect(screen.getByRole('option', { name: /^Revenue Meter/ })).toBeInTheDocument();
  });

  it('chooses a named time zone from the backend list', async () => {
    const { last, backend } = renderQueryEditor({ ...base, siteId: '1000', fields: ['W_avg'] });
    await openOptions();
    const modes = await screen.findByTestId(selectors.query.timeZoneMode.testId);
    within(modes).getByLabelText('Named').click();
    await waitFor(() => expect(last()).toMatchObject({ timeZoneMode: 'named' }));
    openCombobox(await screen.findByTestId(selectors.query.timeZone.id));
    await chooseOption('Europe/Berlin');
    expect(last()).toMatchObject({ timeZoneMode: 'named', timeZone: 'Europe/Berlin' });
    // The plan is asked for the query in the chosen zone.
    await waitFor(() =>
      expect(JSON.parse(backend.calls('plan').pop()!.params.queries)[0]).toMatchObject({
        timeZoneMode: 'named',
        timeZone: 'Europe/Berlin',
      })
    );
  });

  it('shows a resource error inline, naming what failed', async () => {
    const { backend } = renderQueryEditor({ ...base, siteId: '1000' });
    backend.overrides.set('dataavailable', () => {
      throw {
        status: 403,
        data: { error: 'this site belongs to another partner: check the partner ID in the data source settings' },
      };
    });
    // The first request may already be in flight; a new site triggers a fresh one that fails.
    typeInto(combobox(selectors.query.site.label), 'Farm 0002');
    await chooseOption(/^Solar Farm 0002/);
    expect(
      await screen.findByText(
        "Could not load the site's fields: this site belongs to another partner: check the partner ID in the data source settings (HTTP 403)"
      )
    ).toBeInTheDocument();
  });

  it('cancels its resource requests on unmount', async () => {
    const { backend, unmount } = renderQueryEditor({ ...base, siteId: '1000', fields: ['W_avg'] });
    // The fake answers on the next tick; unmounting first must abort every request in flight.
    unmount();
    const pending = backend.requests.filter((r) => r.path === 'dataavailable' || r.path === 'plan');
    expect(pending.length).toBeGreaterThan(0);
    expect(pending.every((r) => r.aborted || r.signal?.aborted)).toBe(true);
  });
});
