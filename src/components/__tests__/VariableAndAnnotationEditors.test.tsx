import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import React from 'react';

import { selectors } from '../../selectors';
import { makeDataSource } from '../../test/datasource';
import { FakeBackend } from '../../test/fakeBackend';
import { worstSitesAnswer } from '../../test/fixtures';
import { installTemplateSrv } from '../../test/fakeTemplateSrv';
import { renderControlled } from '../../test/controlled';
import { TEST_RANGE } from '../../test/harness';
import { chooseOption, comboboxNamed, openCombobox, settle, typeInto } from '../../test/ui';
import { LocusQuery, LocusVariableQuery } from '../../types';
import { AnnotationQueryEditor } from '../AnnotationQueryEditor';
import { VariableQueryEditor } from '../VariableQueryEditor';

const combobox = comboboxNamed;

function renderVariableEditor(
  initial: LocusVariableQuery,
  opts: { range?: typeof TEST_RANGE; setup?: (b: FakeBackend) => void } = {}
) {
  const backend = new FakeBackend().install();
  opts.setup?.(backend);
  installTemplateSrv([{ name: 'site', current: '1000' }]);
  const ds = makeDataSource();
  const { last } = renderControlled(initial, (query, onChange) => (
    <VariableQueryEditor datasource={ds} query={query} range={opts.range} onRunQuery={() => {}} onChange={onChange} />
  ));
  return { backend, last };
}

describe('VariableQueryEditor', () => {
  it('lists components of a site (a variable) by node type, with a preview', async () => {
    const { last } = renderVariableEditor({ refId: 'V', kind: 'sites' });
    await waitFor(() =>
      expect(screen.getByTestId(selectors.variable.preview)).toHaveTextContent(
        /^10000 values: Solar Farm 0001, Solar Farm 0002/
      )
    );
    openCombobox(combobox(selectors.variable.kind.label));
    await chooseOption(/^Components/);
    expect(last()).toEqual({ refId: 'V', kind: 'components' });
    typeInto(combobox(selectors.query.site.label), '$si');
    await chooseOption(/^\$site/);
    await settle();
    openCombobox(combobox(selectors.query.nodeType.label + ' - optional'));
    await chooseOption(/^Inverter/);
    expect(last()).toEqual({ refId: 'V', kind: 'components', siteId: '$site', nodeType: 'INVERTER' });
    await waitFor(() =>
      expect(screen.getByTestId(selectors.variable.preview)).toHaveTextContent('2 values: Inverter A, Inverter B')
    );
  });

  it("previews the worst sites over the editor's range and edits the limit", async () => {
    const { backend, last } = renderVariableEditor(
      { refId: 'V', kind: 'worstSites' },
      {
        range: TEST_RANGE,
        setup: (b) =>
          b.overrides.set('ranking/worst', () =>
            worstSitesAnswer(7, [
              [1003, 'Solar Farm 0004', 0.41],
              [1001, 'Solar Farm 0002', 0.62],
            ])
          ),
      }
    );
    await waitFor(() =>
      expect(screen.getByTestId(selectors.variable.preview)).toHaveTextContent(
        /^3 values: Solar Farm 0004, Solar Farm 0002, ⚠ worst 2 of 7 sites by performance index over the range \(limit 10\)/
      )
    );
    expect(backend.calls('ranking/worst')[0].params).toEqual({
      from: String(TEST_RANGE.from.valueOf()),
      to: String(TEST_RANGE.to.valueOf()),
      limit: '10',
    });
    const limit = screen.getByLabelText(/^Worst/);
    fireEvent.change(limit, { target: { value: '5' } });
    fireEvent.blur(limit);
    expect(last()).toEqual({ refId: 'V', kind: 'worstSites', limit: 5 });
    await waitFor(() => expect(backend.calls('ranking/worst').pop()!.params.limit).toBe('5'));
    // Out of range: the default (10) is used.
    fireEvent.change(screen.getByLabelText(/^Worst/), { target: { value: '0' } });
    fireEvent.blur(screen.getByLabelText(/^Worst/));
    expect(last()).toEqual({ refId: 'V', kind: 'worstSites', limit: undefined });
  });

  it('asks to choose a site (not to "check the scope") before listing components', async () => {
    renderVariableEditor({ refId: 'V', kind: 'components' });
    expect(await screen.findByTestId(selectors.variable.preview)).toHaveTextContent(
      'Choose a site to list its components.'
    );
    expect(screen.getByTestId(selectors.variable.preview)).not.toHaveTextContent(/scope/);
  });

  it('filters sites by client and name', async () => {
    const { backend, last } = renderVariableEditor({ refId: 'V', kind: 'sites' });
    openCombobox(combobox(selectors.query.client.label + ' - optional'));
    await chooseOption(/^Ada Lovelace/);
    const search = screen.getByLabelText(/^Name contains/);
    fireEvent.change(search, { target: { value: 'Fresno' } });
    fireEvent.blur(search);
    expect(last()).toEqual({ refId: 'V', kind: 'sites', clientId: '11', search: 'Fresno' });
    await waitFor(() =>
      expect(backend.calls('sites').pop()!.params).toEqual({ clientId: '11', query: 'Fresno', limit: '0' })
    );
  });
});

describe('AnnotationQueryEditor', () => {
  it('edits an alerts query for any stored target', async () => {
    new FakeBackend().install();
    installTemplateSrv([]);
    const ds = makeDataSource();
    const onChange = jest.fn();
    render(
      <AnnotationQueryEditor
        datasource={ds}
        query={{ refId: 'Anno' } as LocusQuery}
        onChange={onChange}
        onRunQuery={() => {}}
        range={TEST_RANGE}
      />
    );
    expect(screen.getByTestId(selectors.annotation.editor)).toBeInTheDocument();
    openCombobox(combobox(selectors.query.priorities.label + ' - optional'));
    await chooseOption(/^High/);
    expect(onChange).toHaveBeenLastCalledWith({
      refId: 'Anno',
      queryType: 'alerts',
      scope: 'partner',
      status: '',
      priorities: ['High'],
    });
  });
});
