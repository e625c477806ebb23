import { fireEvent, screen, within } from '@testing-library/react';
import React from 'react';

import { QUERY_TYPES } from '../../queryTypes';
import { selectors } from '../../selectors';
import { renderQueryEditor } from '../../test/harness';
import { LocusQuery, QueryType } from '../../types';
import { TypedEditorProps } from '../editors/types';

const radio = (groupTestId: string, label: string) => within(screen.getByTestId(groupTestId)).getByLabelText(label);

/** EchoQuery is a query type that exists only in this test. */
interface EchoQuery {
  refId: string;
  queryType: 'echo';
  text?: string;
}

function EchoEditor({ query, onChange }: TypedEditorProps<QueryType>) {
  const echo = query as unknown as EchoQuery;
  return (
    <input
      aria-label="Echo text"
      value={echo.text ?? ''}
      onChange={(e) => onChange({ ...echo, text: e.currentTarget.value } as unknown as LocusQuery)}
    />
  );
}

/** echo is its descriptor: the one entry a new type needs. */
const echo = {
  label: 'Echo',
  description: 'Repeats a text (test only)',
  Editor: EchoEditor,
  defaults: { text: '' },
  carry: ({ siteId }: { siteId?: string }) => ({ text: siteId ? `site ${siteId}` : '' }),
  missing: (q: EchoQuery) => (q.text ? [] : ['a text']),
  interpolate: (q: EchoQuery, v: { text: (s?: string) => string | undefined }) => ({ text: v.text(q.text) }),
  summary: (q: EchoQuery) => [`"${q.text}"`],
};

describe('the query type table', () => {
  const table = QUERY_TYPES as unknown as Record<string, unknown>;
  beforeEach(() => {
    table.echo = echo;
  });
  afterEach(() => {
    delete table.echo;
  });

  it('is all a new query type needs: the picker offers it, its editor, defaults and completeness apply', () => {
    const { last, runs, datasource } = renderQueryEditor({
      refId: 'A',
      queryType: 'timeseries',
      siteId: '1000',
      fields: [],
    });
    fireEvent.click(radio(selectors.query.queryType.testId, 'Echo'));
    // The descriptor's defaults, then what it carries over from the time series query.
    expect(last()).toEqual({ refId: 'A', queryType: 'echo', text: 'site 1000' });
    expect(runs.count).toBe(1);

    const input = screen.getByLabelText('Echo text');
    expect(input).toHaveValue('site 1000');
    fireEvent.change(input, { target: { value: '' } });
    expect(last()).toEqual({ refId: 'A', queryType: 'echo', text: '' });
    // Its own completeness rule says what is missing, and the data source will not run it.
    expect(screen.getByTestId(selectors.query.missing)).toHaveTextContent('Choose a text to run this query.');
    expect(datasource.filterQuery(last())).toBe(false);

    fireEvent.change(input, { target: { value: 'hello' } });
    expect(screen.queryByTestId(selectors.query.missing)).not.toBeInTheDocument();
    expect(datasource.filterQuery(last())).toBe(true);
    expect(datasource.getQueryDisplayText(last())).toBe('Echo · "hello"');
  });
});
