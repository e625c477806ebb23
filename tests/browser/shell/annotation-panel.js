// The dashboard annotation settings stand-in: the data source's annotation
// editor (annotations.QueryEditor) and Grafana's run path for annotations
// with a data source's own support: prepareAnnotation, prepareQuery, query,
// then processEvents, listing the events a panel would draw.
import { CoreApp, dateMath } from '@grafana/data';
import { Button } from '@grafana/ui';
import { createElement as h, useState } from 'react';
import { lastValueFrom, of } from 'rxjs';

import ids from './test-ids.json';

function range7d() {
  return { from: dateMath.parse('now-7d'), to: dateMath.parse('now', true), raw: { from: 'now-7d', to: 'now' } };
}

async function runAnnotation(datasource, annotation) {
  const support = datasource.annotations;
  const query = support.prepareQuery ? support.prepareQuery(annotation) : annotation.target;
  if (!query) {
    return [];
  }
  const range = range7d();
  const res = await lastValueFrom(
    datasource.query({
      requestId: 'browser-host-annotations',
      app: CoreApp.Dashboard,
      targets: [{ ...query, refId: 'Anno' }],
      range,
      rangeRaw: range.raw,
      interval: '10m',
      intervalMs: 600000,
      maxDataPoints: 1000,
      scopedVars: {},
      timezone: 'browser',
      startTime: Date.now(),
    })
  );
  if (res.errors?.length || res.error) {
    throw new Error((res.errors?.[0] ?? res.error).message);
  }
  const events = support.processEvents ? support.processEvents(annotation, res.data ?? []) : of([]);
  return (await lastValueFrom(events)) ?? [];
}

/** AnnotationPanel renders the annotation editor and the events its query gives over the last 7 days. */
export function AnnotationPanel({ datasource }) {
  const support = datasource.annotations;
  const [annotation, setAnnotation] = useState(() => {
    const json = { name: 'Locus alerts', enable: true, iconColor: 'red', target: support?.getDefaultQuery?.() };
    return support?.prepareAnnotation ? support.prepareAnnotation(json) : json;
  });
  const [result, setResult] = useState({ events: [], error: undefined, runs: 0 });
  if (!support?.QueryEditor) {
    return h('section', { className: 'shell-card' }, h('p', null, 'This data source has no annotation editor.'));
  }
  const run = () =>
    runAnnotation(datasource, annotation)
      .then((events) => setResult((r) => ({ events, error: undefined, runs: r.runs + 1 })))
      .catch((err) => setResult((r) => ({ events: [], error: err?.message ?? String(err), runs: r.runs + 1 })));
  return h(
    'section',
    { className: 'shell-card', 'data-testid': ids.annotationSection, 'data-runs': result.runs },
    h('h2', null, 'Annotations · Locus alerts (last 7 days)'),
    h(support.QueryEditor, {
      datasource,
      query: annotation.target,
      onChange: (target) => setAnnotation((a) => ({ ...a, target })),
      onRunQuery: run,
      range: range7d(),
      app: CoreApp.Dashboard,
    }),
    h('div', { className: 'shell-result' }, h(Button, { size: 'sm', onClick: run, 'data-testid': ids.runAnnotations }, 'Run annotation query')),
    result.error && h('div', { className: 'shell-error', 'data-testid': ids.queryError }, result.error),
    h(
      'ul',
      null,
      result.events.map((e, i) =>
        h(
          'li',
          { key: i, 'data-testid': ids.annotationEvent, 'data-event': JSON.stringify(e) },
          `${new Date(e.time).toISOString()} → ${e.timeEnd ? new Date(e.timeEnd).toISOString() : '-'} · ${e.title} · [${(e.tags ?? []).join(', ')}]`
        )
      )
    )
  );
}
