// The variable editor page stand-in: the data source's custom variable
// editor (datasource.variables.editor) and "Run" through
// datasource.variables.query, listing the options Grafana would read from the
// returned frame (its text and value fields).
import { FieldType, dateMath } from '@grafana/data';
import { Button } from '@grafana/ui';
import { createElement as h, useState } from 'react';
import { lastValueFrom } from 'rxjs';

import ids from './test-ids.json';

/** optionsFromFrames reads variable options as Grafana does: a "text" and a "value" field, else the first string field. */
export function optionsFromFrames(frames) {
  const out = [];
  for (const frame of frames) {
    const strings = frame.fields.filter((f) => f.type === FieldType.string);
    const text = frame.fields.find((f) => f.name === 'text') ?? strings[0];
    const value = frame.fields.find((f) => f.name === 'value') ?? text;
    if (!text) {
      continue;
    }
    for (let i = 0; i < frame.length; i++) {
      out.push({ text: String(text.values[i]), value: String(value.values[i]) });
    }
  }
  return out;
}

/** VariablePanel renders the custom variable editor and its options. */
export function VariablePanel({ datasource }) {
  const support = datasource.variables;
  const [query, setQuery] = useState({ refId: 'variable-query' });
  const [result, setResult] = useState({ options: [], error: undefined, runs: 0 });
  if (!support?.editor) {
    return h('section', { className: 'shell-card' }, h('p', null, 'This data source has no custom variable support.'));
  }
  const run = async () => {
    const range = { from: dateMath.parse('now-24h'), to: dateMath.parse('now', true), raw: { from: 'now-24h', to: 'now' } };
    try {
      const res = await lastValueFrom(support.query({ targets: [query], range, scopedVars: {}, requestId: 'variable', interval: '1m', intervalMs: 60000, timezone: 'browser', app: 'dashboard', startTime: Date.now() }));
      setResult((r) => ({ options: optionsFromFrames(res.data ?? []), error: undefined, runs: r.runs + 1 }));
    } catch (err) {
      setResult((r) => ({ options: [], error: err?.message ?? String(err), runs: r.runs + 1 }));
    }
  };
  return h(
    'section',
    { className: 'shell-card', 'data-testid': ids.variableSection, 'data-runs': result.runs },
    h('h2', null, 'Variable · query'),
    h(support.editor, { datasource, query, onChange: setQuery }),
    h('div', { className: 'shell-result' }, h(Button, { size: 'sm', onClick: run, 'data-testid': ids.runVariable }, 'Run variable query')),
    result.error && h('div', { className: 'shell-error', 'data-testid': ids.queryError }, result.error),
    h(
      'ul',
      null,
      result.options.map((o, i) => h('li', { key: i, 'data-testid': ids.variableOption, 'data-value': o.value }, `${o.text} = ${o.value}`))
    )
  );
}
