// The panel editor stand-in: the plugin's QueryEditor, a time range, "Run
// query" through DataSourceWithBackend.query (so /api/ds/query and the
// backend), the query model as JSON and the returned series.
import { CoreApp, dateMath } from '@grafana/data';
import { Button, RadioButtonGroup, Stack } from '@grafana/ui';
import { createElement as h, useEffect, useMemo, useState } from 'react';

import { createQueryRunner } from './query-runner.js';
import { ResultView } from './result-view.js';
import ids from './test-ids.json';

const RANGES = [
  { label: 'Last 24 hours', value: 'now-24h' },
  { label: 'Last 2 days', value: 'now-2d' },
  { label: 'Last 7 days', value: 'now-7d' },
  { label: 'Last 30 days', value: 'now-30d' },
];

function toRange(from) {
  const raw = { from, to: 'now' };
  return { from: dateMath.parse(from), to: dateMath.parse('now', true), raw };
}

function initialQuery(datasource) {
  const defaults = datasource.getDefaultQuery ? datasource.getDefaultQuery(CoreApp.PanelEditor) : {};
  return { refId: 'A', ...defaults, datasource: datasource.getRef() };
}

/** QueryPanel renders the plugin's QueryEditor and runs its query. */
export function QueryPanel({ plugin, datasource }) {
  const [query, setQuery] = useState(() => initialQuery(datasource));
  const [rangeFrom, setRangeFrom] = useState('now-2d');
  const [result, setResult] = useState({ data: undefined, runs: 0 });
  const [runner] = useState(() => createQueryRunner(datasource, (data) => setResult((r) => ({ data, runs: data.state === 'Loading' ? r.runs : r.runs + 1 }))));
  const range = useMemo(() => toRange(rangeFrom), [rangeFrom]);
  const QueryEditor = plugin.components.QueryEditor;

  useEffect(() => {
    runner.setQuery(query);
  }, [runner, query]);
  useEffect(() => () => runner.dispose(), [runner]);

  const onChange = (q) => {
    // Editors call onChange then onRunQuery in one event: the runner must see q now.
    runner.setQuery(q);
    setQuery(q);
  };
  const run = () => runner.run(toRange(rangeFrom));

  return h(
    'section',
    { 'data-testid': ids.querySection, className: 'shell-card' },
    h(
      Stack,
      { justifyContent: 'space-between', alignItems: 'center' },
      h('h2', null, 'Query · panel A'),
      h(
        Stack,
        { gap: 1, alignItems: 'center' },
        h('div', { 'data-testid': ids.timeRange }, h(RadioButtonGroup, { options: RANGES, value: rangeFrom, onChange: setRangeFrom, size: 'sm' })),
        h(Button, { icon: 'sync', size: 'sm', onClick: run, 'data-testid': ids.runQuery }, 'Run query')
      )
    ),
    h(QueryEditor, { datasource, query, queries: [query], onChange, onRunQuery: run, data: result.data, range, app: CoreApp.PanelEditor }),
    h(
      'div',
      { className: 'shell-columns' },
      h(
        'div',
        { className: 'shell-model' },
        h('h3', null, 'Query model'),
        h('pre', { 'data-testid': ids.queryModel }, JSON.stringify(query, null, 2)),
        datasource.getQueryDisplayText &&
          h(
            'p',
            { className: 'shell-history' },
            h('strong', null, 'Query history: '),
            h('span', { 'data-testid': ids.queryHistory }, datasource.getQueryDisplayText(query))
          )
      ),
      h(ResultView, { data: result.data, runs: result.runs, range, timeZone: 'browser' })
    )
  );
}
