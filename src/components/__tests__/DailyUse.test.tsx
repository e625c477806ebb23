/**
 * The editors as an O&M engineer uses them all day (issue 16): every choice
 * visible and named after its source, keyboard first, stale state flagged,
 * no deprecated noise, errors in the backend's words. Each describe block is
 * one case of the issue; assertions are on what a user sees (roles, labels,
 * text), through the real editors and the fake BackendSrv only.
 */
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { selectors } from '../../selectors';
import { defaultSeriesName } from '../../seriesName';
import { COMPONENT_FIELDS, NEW_TIME_SERIES, SITE_FIELDS } from '../../test/fixtures';
import { renderQueryEditor } from '../../test/harness';
import { chooseOption, openCombobox, openOptions, optionNames, settle } from '../../test/ui';
import { FieldInfo, LocusQuery } from '../../types';

const base = NEW_TIME_SERIES;
const combobox = (label: string | RegExp) => screen.getByRole('combobox', { name: label });

/** typeIn clicks the search box named label and types text into it, as a user would; it returns the box. */
async function typeIn(user: ReturnType<typeof userEvent.setup>, label: string, text: string) {
  const box = combobox(label);
  await user.click(box);
  await user.type(box, text);
  return box;
}

/** W_m_avg is the modeled twin of W_avg: the same long name and aggregation, another source. */
const MODELED_TWIN: FieldInfo = {
  shortName: 'W_m_avg',
  baseField: 'W_m',
  longName: 'AC Power',
  source: 'Modeled',
  unit: 'W',
  aggregation: 'avg',
  granularities: ['1min', '5min', '15min', 'hourly', 'daily', 'latest'],
  fieldParameters: [
    { param: 'modelType', values: ['simple', 'singleDiode'] },
    { param: 'irradianceSource', values: ['TMY3', 'weatherStation'] },
    { param: 'inverterClipping', values: ['true', 'false'] },
  ],
};

/** A weather station offers irradiance, not AC power. */
const WEATHER_FIELDS: FieldInfo[] = [
  {
    shortName: 'GHI_avg',
    baseField: 'GHI',
    longName: 'Global Horizontal Irradiance',
    source: 'Measured',
    unit: 'W/m2',
    aggregation: 'avg',
    granularities: ['5min', '15min', 'hourly'],
  },
];

/**
 * measuredRoom gives MultiCombobox's measuring ResizeObserver a row of 800px for
 * the box (the element holding the input) and 24px for its counter and suffix,
 * as a browser would; jsdom lays nothing out.
 */
function measuredRoom() {
  const original = window.ResizeObserver;
  window.ResizeObserver = class {
    constructor(private readonly cb: ResizeObserverCallback) {}
    observe(el: Element) {
      const width = el.querySelector('input') ? 800 : 24;
      const rect = { x: 0, y: 0, width, height: 32, top: 0, left: 0, bottom: 32, right: width };
      this.cb([{ contentRect: rect } as unknown as ResizeObserverEntry], this as unknown as ResizeObserver);
    }
    unobserve() {}
    disconnect() {}
  } as unknown as typeof ResizeObserver;
  return () => {
    window.ResizeObserver = original;
  };
}

describe('1. the fields picker shows every choice, named after its source', () => {
  let restore: () => void;
  beforeEach(() => {
    restore = measuredRoom();
  });
  afterEach(() => restore());

  it('shows W_avg and W_m_avg as two chips, Measured and Modeled, when the row has room', async () => {
    const { backend } = renderQueryEditor({ ...base, siteId: '1000', fields: ['W_avg', 'W_m_avg'] });
    backend.overrides.set('dataavailable', () => ({ fields: [...SITE_FIELDS, MODELED_TWIN] }));
    expect(await screen.findByRole('button', { name: 'Remove AC Power (Measured, avg)' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Remove AC Power (Modeled, avg)' })).toBeInTheDocument();
    // No "… 1" counter folding the second chip away.
    expect(screen.queryByText('...')).not.toBeInTheDocument();
  });

  it('tells the fleet bulk Wh_sum and Wh_e_sum apart', async () => {
    const { backend } = renderQueryEditor({ refId: 'A', queryType: 'bulk', fields: ['Wh_sum', 'Wh_e_sum'] });
    backend.overrides.set('bulk/dataavailable', () => ({
      fields: [
        { ...SITE_FIELDS[2], granularities: ['monthly'] },
        { ...SITE_FIELDS[2], shortName: 'Wh_e_sum', baseField: 'Wh_e', source: 'Expected', granularities: ['monthly'] },
      ],
    }));
    expect(await screen.findByRole('button', { name: 'Remove AC Energy (Measured, sum)' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Remove AC Energy (Expected, sum)' })).toBeInTheDocument();
  });
});

describe('2. site and component search, keyboard first', () => {
  it('Enter picks the first real site match, and the box then reads its name', async () => {
    const user = userEvent.setup({ delay: null });
    const { last } = renderQueryEditor(base);
    const site = await typeIn(user, selectors.query.site.label, 'farm 0042');
    await screen.findByRole('option', { name: /^Solar Farm 0042/ });
    expect(optionNames()[0]).toMatch(/^Solar Farm 0042/);
    await user.keyboard('{Enter}');
    await waitFor(() => expect(last()).toMatchObject({ siteId: '1041' }));
    await waitFor(() => expect(site).toHaveValue('Solar Farm 0042 (#1041)'));
  });

  it('says "No sites match" for a search that finds nothing, and Enter sets nothing', async () => {
    const user = userEvent.setup({ delay: null });
    const { changes } = renderQueryEditor(base);
    await typeIn(user, selectors.query.site.label, 'zzzz');
    expect(
      await screen.findByRole('option', { name: 'No sites match "zzzz": type part of a name, city, state or id' })
    ).toBeInTheDocument();
    expect(optionNames()).toHaveLength(1);
    await user.keyboard('{Enter}');
    expect(changes.filter((q) => q.queryType === 'timeseries' && q.siteId)).toEqual([]);
  });

  it('offers a typed id list as such, and Enter takes it', async () => {
    const user = userEvent.setup({ delay: null });
    const { last } = renderQueryEditor(base);
    await typeIn(user, selectors.query.site.label, '1000, 1001');
    await waitFor(() => expect(optionNames()).toEqual(['1000,1001Use these site ids (comma-separated)']));
    await user.keyboard('{Enter}');
    await waitFor(() => expect(last()).toMatchObject({ siteId: '1000,1001' }));
  });

  it('finds components fleet-wide by name in the Latest editor, naming their site', async () => {
    const user = userEvent.setup({ delay: null });
    const { backend, last } = renderQueryEditor({ refId: 'A', queryType: 'latest', componentId: '', fields: [] });
    await typeIn(user, selectors.query.component.label, 'Inverter');
    const first = await screen.findByRole('option', { name: /^Inverter A/ });
    expect(first).toHaveTextContent('Solar Farm 0001 · Inverter · SMA');
    expect(backend.calls('components').pop()!.params).toEqual({ query: 'Inverter', limit: '100' });
    await user.keyboard('{Enter}');
    await waitFor(() => expect(last()).toMatchObject({ queryType: 'latest', componentId: '5002' }));
  });
});

describe('3. a switch keeps what applies and flags what does not', () => {
  it('inverter -> weather station keeps W_avg chosen, marked and explained as not offered', async () => {
    const { backend } = renderQueryEditor({
      ...base,
      entityType: 'component',
      siteId: '1000',
      componentId: '5002',
      fields: ['W_avg'],
    });
    backend.overrides.set('dataavailable', (p) => ({ fields: p.id === '5005' ? WEATHER_FIELDS : COMPONENT_FIELDS }));
    await waitFor(() => expect(backend.calls('sites/1000/components')).toHaveLength(1));
    await settle();
    openCombobox(combobox(selectors.query.component.label));
    await chooseOption(/^Weather Station/);
    expect(
      await screen.findByText('Not offered by Weather Station: W_avg. Remove it, or choose a component that offers it')
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Remove W_avg (not offered here)' })).toBeInTheDocument();
  });

  it('Time series -> Latest keeps the component, its fields, and shows its site and name', async () => {
    renderQueryEditor({ ...base, entityType: 'component', siteId: '1000', componentId: '5002', fields: ['W_avg'] });
    fireEvent.click(within(screen.getByTestId(selectors.query.queryType.testId)).getByLabelText('Latest'));
    await waitFor(() => expect(combobox(selectors.query.component.label)).toHaveValue('Inverter A (#5002)'));
    await waitFor(() =>
      expect(combobox(`${selectors.query.site.label} - optional`)).toHaveValue('Solar Farm 0001 (#1000)')
    );
    expect(await screen.findByRole('button', { name: 'Remove AC Power (Measured, avg)' })).toBeInTheDocument();
  });
});

describe('4. no noise from deprecated parameters; the Auto hint says it once', () => {
  it('hides the modeled field parameters unless the user opts in, then words them', async () => {
    const { backend } = renderQueryEditor({ ...base, siteId: '1000', fields: ['W_m_avg'] });
    backend.overrides.set('dataavailable', () => ({ fields: [...SITE_FIELDS, MODELED_TWIN] }));
    const optIn = await screen.findByRole('switch', { name: /^Model parameters/ });
    expect(screen.queryByText('modelType')).not.toBeInTheDocument();
    expect(screen.queryByLabelText(/^Model type/)).not.toBeInTheDocument();
    fireEvent.click(optIn);
    expect(await screen.findByLabelText(/^Model type/)).toBeInTheDocument();
    expect(screen.getByLabelText(/^Irradiance source/)).toBeInTheDocument();
    expect(screen.getByLabelText(/^Inverter clipping/)).toBeInTheDocument();
  });

  it('says what Auto resolves to once, with the reason', async () => {
    const { backend } = renderQueryEditor({ ...base, siteId: '1000', fields: ['W_avg'] });
    backend.overrides.set('plan', () => ({
      refId: 'A',
      requests: 1,
      offered: ['5min', '15min'],
      entities: [
        {
          entity: 'site 1000 "Solar Farm 0001"',
          id: 1000,
          timeZone: 'UTC',
          granularity: '15min',
          notices: ['Granularity auto chose 15min: the finest available with buckets of at least the panel interval'],
        },
      ],
    }));
    const hint = await screen.findByTestId(selectors.query.planHint);
    await waitFor(() =>
      expect(hint).toHaveTextContent(
        'Auto resolves to 15min for this panel · UTC · 1 request the finest available with buckets of at least the panel interval'
      )
    );
    expect(hint.textContent).not.toMatch(/chose/);
  });
});

describe('5. every empty or failed list says why, in the backend words', () => {
  const rejected = {
    status: 401,
    data: { error: 'Locus rejected the credentials (401): check client ID/secret and username/password' },
  };

  it('the client and site boxes give the same backend error, the client one on its field', async () => {
    const user = userEvent.setup({ delay: null });
    const { backend } = renderQueryEditor(base);
    backend.overrides.set('clients', () => {
      throw rejected;
    });
    backend.overrides.set('sites', () => {
      throw rejected;
    });
    const words = 'Locus rejected the credentials (401): check client ID/secret and username/password (HTTP 401)';
    expect(await screen.findByText(`Could not load the clients: ${words}`)).toBeInTheDocument();
    expect(combobox(`${selectors.query.client.label} - optional`)).toHaveAttribute('placeholder', 'All clients');
    await typeIn(user, selectors.query.site.label, 'farm');
    expect(await screen.findByRole('option', { name: `Could not search sites: ${words}` })).toBeInTheDocument();
  });

  it('Named zone waits for a zone instead of running with an empty one', async () => {
    const { last, runs } = renderQueryEditor({ ...base, siteId: '1000', fields: ['W_avg'] });
    await openOptions();
    const before = runs.count;
    fireEvent.click(within(await screen.findByTestId(selectors.query.timeZoneMode.testId)).getByLabelText('Named'));
    expect(last()).toMatchObject({ timeZoneMode: 'named' });
    expect(runs.count).toBe(before);
    expect(screen.getByTestId(selectors.query.missing)).toHaveTextContent('Choose a zone to run this query.');
    expect(screen.getByTestId(selectors.query.timeZone.id)).toHaveAttribute('placeholder', 'Choose a zone');
    openCombobox(screen.getByTestId(selectors.query.timeZone.id));
    await chooseOption('Europe/Berlin');
    expect(runs.count).toBe(before + 1);
    expect(screen.queryByTestId(selectors.query.missing)).not.toBeInTheDocument();
  });

  it('a site without fields says so and what to do', async () => {
    const { backend } = renderQueryEditor({ ...base, siteId: '1000' });
    backend.overrides.set('dataavailable', () => ({ fields: [] }));
    expect(
      await screen.findByText(
        'Solar Farm 0001 reports no data fields (its dataavailable list is empty): choose another site, or one of its components'
      )
    ).toBeInTheDocument();
    expect(combobox(selectors.query.fields.label)).toHaveAttribute('placeholder', 'No fields to choose');
  });
});

describe('7. names people read, sorted and worded as Grafana does', () => {
  it('offers no "latest" granularity for a time series, even when the plan lists it', async () => {
    const { backend } = renderQueryEditor({ ...base, siteId: '1000', fields: ['W_m_avg'] });
    backend.overrides.set('dataavailable', () => ({ fields: [...SITE_FIELDS, MODELED_TWIN] }));
    backend.overrides.set('plan', () => ({
      refId: 'A',
      requests: 1,
      offered: ['1min', '5min', 'latest'],
      entities: [],
    }));
    await screen.findByRole('button', { name: 'Remove AC Power (Modeled, avg)' });
    await openOptions();
    openCombobox(combobox(selectors.query.granularity.label));
    await screen.findByRole('option', { name: /^5min/ });
    expect(optionNames().some((n) => n.startsWith('latest'))).toBe(false);
  });

  it('query history names the site instead of its id, and a missing one says so', async () => {
    const user = userEvent.setup({ delay: null });
    const { datasource, last } = renderQueryEditor(base);
    expect(datasource.getQueryDisplayText(last() ?? base)).toContain('no site chosen');
    await typeIn(user, selectors.query.site.label, 'farm 0042');
    await screen.findByRole('option', { name: /^Solar Farm 0042/ });
    await user.keyboard('{Enter}');
    await waitFor(() => expect(last()).toMatchObject({ siteId: '1041' }));
    expect(datasource.getQueryDisplayText(last() as LocusQuery)).toMatch(/^Time series · site Solar Farm 0042 · /);
  });

  it('the legend placeholder is the name the series really gets', async () => {
    renderQueryEditor({ ...base, entityType: 'component', siteId: '1000', componentId: '5002', fields: ['W_avg'] });
    await openOptions();
    await waitFor(() =>
      expect(screen.getByLabelText(/^Legend/)).toHaveAttribute(
        'placeholder',
        'Solar Farm 0001 Inverter A AC Power (avg)'
      )
    );
  });

  it('names series like the backend does (pkg/frames alias_test cases)', () => {
    const energy = { longName: 'AC Energy', source: 'Measured', aggregation: 'sum' };
    expect(defaultSeriesName(energy, 'Sunny Acres', 'Inverter 1')).toBe('Sunny Acres Inverter 1 AC Energy (sum)');
    expect(defaultSeriesName(energy, 'S')).toBe('S AC Energy (sum)');
    expect(
      defaultSeriesName({ longName: 'AC Power', source: 'Modeled', aggregation: 'avg' }, 'Sunny Acres', 'Inverter 1')
    ).toBe('Sunny Acres Inverter 1 AC Power (Modeled, avg)');
  });

  it('keeps legend, granularity and zone in a collapsed Options row that lists them', async () => {
    renderQueryEditor({ ...base, siteId: '1000', fields: ['W_avg'] });
    const toggle = await screen.findByRole('button', { name: /^Options/ });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    const row = screen.getByTestId(selectors.query.options);
    await waitFor(() => expect(row).toHaveTextContent('Granularity: Auto (15min)'));
    expect(row).toHaveTextContent('Legend: Auto');
    expect(row).toHaveTextContent('Time zone: Site local');
    expect(screen.queryByRole('combobox', { name: selectors.query.granularity.label })).not.toBeInTheDocument();
    fireEvent.click(toggle);
    expect(combobox(selectors.query.granularity.label)).toBeInTheDocument();
  });

  it('words node types in component descriptions ("Weather station", not WEATHERSTATION)', async () => {
    const { backend } = renderQueryEditor({ ...base, entityType: 'component', siteId: '1000' });
    await waitFor(() => expect(backend.calls('sites/1000/components')).toHaveLength(1));
    await settle();
    openCombobox(combobox(selectors.query.component.label));
    const ws = await screen.findByRole('option', { name: /^Weather Station/ });
    expect(ws).toHaveTextContent('Weather station');
    expect(ws).not.toHaveTextContent('WEATHERSTATION');
  });
});
