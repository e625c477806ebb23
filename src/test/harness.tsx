/** A stateful host for QueryEditor, like Grafana's panel editor: onChange feeds the query back. */
import { TimeRange, dateTime } from '@grafana/data';
import { render } from '@testing-library/react';
import React, { useState } from 'react';

import { QueryEditor } from '../components/QueryEditor';
import type { DataSource } from '../datasource';
import { LocusQuery } from '../types';
import { makeDataSource } from './datasource';
import { FakeBackend } from './fakeBackend';
import { TestVariable, installTemplateSrv } from './fakeTemplateSrv';

/** TEST_RANGE is one day. */
export const TEST_RANGE: TimeRange = {
  from: dateTime(1_700_000_000_000),
  to: dateTime(1_700_086_400_000),
  raw: { from: 'now-1d', to: 'now' },
};

/** renderQueryEditor renders the real QueryEditor around a query that follows onChange (panel: the panel's queries). */
export function renderQueryEditor(initial: LocusQuery, vars: TestVariable[] = [], panel?: LocusQuery[]) {
  const backend = new FakeBackend().install();
  installTemplateSrv(vars);
  const datasource = makeDataSource();
  const changes: LocusQuery[] = [];
  const runs = { count: 0 };
  function Host({ ds }: { ds: DataSource }) {
    const [query, setQuery] = useState<LocusQuery>(initial);
    return (
      <QueryEditor
        datasource={ds}
        query={query}
        range={TEST_RANGE}
        queries={panel?.map((q) => (q.refId === query.refId ? query : q))}
        onChange={(q) => {
          changes.push(q);
          setQuery(q);
        }}
        onRunQuery={() => runs.count++}
      />
    );
  }
  const utils = render(<Host ds={datasource} />);
  const last = () => changes[changes.length - 1];
  return { backend, datasource, changes, runs, last, ...utils };
}
