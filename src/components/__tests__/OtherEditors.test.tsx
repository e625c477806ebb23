import { fireEvent, screen, waitFor, within } from '@testing-library/react';

import { selectors } from '../../selectors';
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

const combobox = comboboxNamed;
const radio = (groupTestId: string, label: string) => within(screen.getByTestId(groupTestId)).getByLabelText(label);

describe('QueryEditor', () => {
  it('switches query type, keeping the site, and says what is still missing', async () => {
    const { last } = renderQueryEditor({ refId: 'A', queryType: 'timeseries', siteId: '1000', fields: [] });
    expect(screen.getByTestId(selectors.query.missing)).toHaveTextContent(
      'Choose at least one field to run this query.'
    );
    fireEvent.click(radio(selectors.query.queryType.testId, 'Alerts'));
    expect(last()).toEqual({
      refId: 'A',
      queryType: 'alerts',
      scope: 'site',
      siteId: '1000',
      status: '',
      alias: undefined,
      hide: undefined,
      datasource: undefined,
      componentId: undefined,
    });
    expect(screen.queryByTestId(selectors.query.missing)).not.toBeInTheDocument();
  });

  it('commits the legend template on blur', async () => {
    const { last, runs } = renderQueryEditor({
      refId: 'A',
      queryType: 'timeseries',
      siteId: '1000',
      fields: ['W_avg'],
    });
    await openOptions();
    const alias = await screen.findByLabelText(/^Legend/);
    fireEvent.change(alias, { target: { value: '{{site}} {{field}}' } });
    const before = runs.count;
    fireEvent.blur(alias);
    expect(last()).toMatchObject({ alias: '{{site}} {{field}}' });
    expect(runs.count).toBe(before + 1);
  });
});

describe('LatestEditor', () => {
  it('finds a component partner-wide by node ID and writes its fields', async () => {
    const { backend, last } = renderQueryEditor({ refId: 'A', queryType: 'latest', componentId: '', fields: [] });
    typeInto(combobox(selectors.query.component.label), 'INV.00A');
    await chooseOption(/Inverter A/);
    expect(backend.calls('components')[0].params).toEqual({ query: 'INV.00A', limit: '100' });
    expect(last()).toMatchObject({ queryType: 'latest', componentId: '5002' });
    await waitFor(() =>
      expect(backend.calls('dataavailable').map((c) => c.params)).toContainEqual({
        entityType: 'component',
        id: '5002',
      })
    );
    openCombobox(combobox(selectors.query.fields.label));
    await chooseOption(/^DC Voltage \(Measured, avg\)/);
    expect(last()).toMatchObject({ componentId: '5002', fields: ['DCV_avg'] });
  });
});

describe('BulkEditor', () => {
  it('offers the bulk fields, a client filter, the format and latest month only', async () => {
    const { backend, last } = renderQueryEditor({ refId: 'A', queryType: 'bulk', fields: [], format: 'table' });
    openCombobox(combobox(selectors.query.fields.label));
    await chooseOption(/^AC Energy \(Measured, sum\)/);
    expect(backend.calls('bulk/dataavailable')).toHaveLength(1);
    expect(last()).toMatchObject({ fields: ['Wh_sum'] });
    openCombobox(combobox(selectors.query.client.label + ' - optional'));
    await chooseOption(/^Grace Hopper/);
    expect(last()).toMatchObject({ clientId: '12' });
    fireEvent.click(radio(selectors.query.bulkFormat.testId, 'Time series'));
    expect(last()).toMatchObject({ format: 'timeseries' });
    fireEvent.click(screen.getByLabelText(/^Latest month only/));
    expect(last()).toMatchObject({
      queryType: 'bulk',
      fields: ['Wh_sum'],
      clientId: '12',
      format: 'timeseries',
      latestMonthOnly: true,
    });
  });
});

describe('AlertsEditor', () => {
  // Two tests rather than one long one: each stays well inside the timeout on a busy machine.
  it('edits scope, site and component', async () => {
    const { last, backend } = renderQueryEditor({ refId: 'A', queryType: 'alerts', scope: 'partner', status: '' });
    expect(screen.queryByRole('combobox', { name: /^Site/ })).not.toBeInTheDocument();
    fireEvent.click(radio(selectors.query.alertScope.testId, 'Component'));
    expect(last()).toMatchObject({ scope: 'component' });
    typeInto(combobox(selectors.query.site.label + ' - optional'), 'Farm 0001');
    await chooseOption(/^Solar Farm 0001/);
    await waitFor(() => expect(backend.calls('sites/1000/components')).toHaveLength(1));
    await settle();
    typeInto(combobox(selectors.query.component.label), 'Weather');
    await chooseOption(/^Weather Station/);
    expect(last()).toMatchObject({ queryType: 'alerts', scope: 'component', siteId: '1000', componentId: '5005' });
  });

  it('edits types, priorities and status', async () => {
    const { last } = renderQueryEditor({ refId: 'A', queryType: 'alerts', scope: 'partner', status: '' });
    openCombobox(combobox(selectors.query.alertTypes.label + ' - optional'));
    await chooseOption(/^Device Fault/);
    openCombobox(combobox(selectors.query.priorities.label + ' - optional'));
    await chooseOption(/^High/);
    fireEvent.click(radio(selectors.query.alertStatus.testId, 'Open'));
    expect(last()).toMatchObject({
      queryType: 'alerts',
      scope: 'partner',
      alertTypes: ['Device Fault'],
      priorities: ['High'],
      status: 'open',
    });
  });
});

describe('MetadataEditor', () => {
  it('writes kind and scope, offering node types from the site tree', async () => {
    const { last } = renderQueryEditor({ refId: 'A', queryType: 'metadata', kind: 'sites' });
    openCombobox(combobox(selectors.query.metadataKind.label));
    await chooseOption(/^Components/);
    expect(last()).toMatchObject({ kind: 'components' });
    typeInto(combobox(selectors.query.site.label), '1000');
    await chooseOption(/^Solar Farm 0001/);
    await settle();
    openCombobox(combobox(selectors.query.nodeType.label + ' - optional'));
    await findOption(/^Inverter/);
    expect(optionNames()).toEqual(['InverterINVERTER', 'MeterMETER', 'StringSTRING', 'Weather stationWEATHERSTATION']);
    await chooseOption(/^Inverter/);
    expect(last()).toMatchObject({ queryType: 'metadata', kind: 'components', siteId: '1000', nodeType: 'INVERTER' });
  });
});
