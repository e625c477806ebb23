// What a panel shows of a query result: a time series graph (Grafana's own
// TimeSeries component), one row per returned series with its point count,
// unit and last value, the backend's notices and any error.
import { FieldColorModeId, FieldType, applyFieldOverrides, getFieldDisplayName } from '@grafana/data';
import { config } from '@grafana/runtime';
import { ErrorBoundaryAlert, TimeSeries } from '@grafana/ui';
import { createElement as h, useMemo } from 'react';

import ids from './test-ids.json';

const CHART_WIDTH = 640;
const CHART_HEIGHT = 240;

/** seriesRows lists every numeric field of every frame as one series. */
export function seriesRows(frames) {
  const rows = [];
  for (const frame of frames) {
    for (const field of frame.fields) {
      if (field.type !== FieldType.number) {
        continue;
      }
      const values = Array.from(field.values);
      const numbers = values.filter((v) => typeof v === 'number' && Number.isFinite(v));
      rows.push({
        name: getFieldDisplayName(field, frame, frames),
        points: values.length,
        nonNull: numbers.length,
        unit: field.config?.unit ?? '',
        last: numbers.length ? numbers[numbers.length - 1] : null,
        max: numbers.length ? Math.max(...numbers) : null,
      });
    }
  }
  return rows;
}

/**
 * withSeriesColors gives each numeric field a fixed palette colour, as the
 * timeseries panel's classic palette would (this shell has no field config
 * registry to resolve colour modes).
 */
function withSeriesColors(frames, theme) {
  let n = 0;
  return frames.map((frame) => ({
    ...frame,
    fields: frame.fields.map((field) => {
      if (field.type !== FieldType.number) {
        return field;
      }
      const color = theme.visualization.getColorByName(theme.visualization.palette[n++ % theme.visualization.palette.length]);
      return { ...field, config: { ...field.config, color: { mode: FieldColorModeId.Fixed, fixedColor: color } } };
    }),
  }));
}

function Chart({ frames, range, timeZone }) {
  const prepared = useMemo(
    () =>
      applyFieldOverrides({
        data: withSeriesColors(
          frames.filter((f) => f.fields.some((x) => x.type === FieldType.time)),
          config.theme2
        ),
        fieldConfig: {
          // the timeseries panel's own defaults
          defaults: { custom: { lineWidth: 1, fillOpacity: 10, showPoints: 'never', spanNulls: false } },
          overrides: [],
        },
        replaceVariables: (v) => v,
        theme: config.theme2,
        timeZone,
      }),
    [frames, timeZone]
  );
  if (prepared.length === 0) {
    return null;
  }
  return h(
    'div',
    { 'data-testid': ids.chart },
    h(
      ErrorBoundaryAlert,
      { style: 'alertbox' },
      h(TimeSeries, {
        frames: prepared,
        timeRange: range,
        timeZone,
        width: CHART_WIDTH,
        height: CHART_HEIGHT,
        legend: { showLegend: true, displayMode: 'list', placement: 'bottom', calcs: [] },
      }, () => null)
    )
  );
}

/** ResultView renders the last response of the query panel. */
export function ResultView({ data, runs, range, timeZone }) {
  if (!data) {
    return h('div', { className: 'shell-result-view' }, h('h3', null, 'Result'), h('p', { 'data-testid': ids.queryState }, 'Not run yet'));
  }
  const rows = seriesRows(data.series);
  // Frames of one query repeat the query's notices; a panel shows each once.
  const notices = [...new Map(data.series.flatMap((f) => f.meta?.notices ?? []).map((n) => [`${n.severity}:${n.text}`, n])).values()];
  const errors = data.errors ?? [];
  return h(
    'div',
    { className: 'shell-result-view' },
    h('h3', null, 'Result'),
    h('p', { 'data-testid': ids.queryState, 'data-state': data.state, 'data-runs': runs }, `${data.state} · run ${runs} · ${rows.length} series`),
    errors.map((e, i) => h('div', { key: i, className: 'shell-error', 'data-testid': ids.queryError }, e.message ?? JSON.stringify(e))),
    notices.length > 0 &&
      h('ul', { 'data-testid': ids.notices }, notices.map((n, i) => h('li', { key: i, 'data-severity': n.severity }, `${n.severity}: ${n.text}`))),
    rows.length > 0 && h(Chart, { frames: data.series, range, timeZone }),
    h(
      'table',
      { 'data-testid': ids.series },
      h('thead', null, h('tr', null, ['Series', 'Points', 'Non-null', 'Unit', 'Last', 'Max'].map((c) => h('th', { key: c }, c)))),
      h(
        'tbody',
        null,
        rows.map((r, i) =>
          h(
            'tr',
            { key: i, 'data-testid': ids.seriesRow, 'data-name': r.name, 'data-points': r.points, 'data-non-null': r.nonNull },
            h('td', null, r.name),
            h('td', null, r.points),
            h('td', null, r.nonNull),
            h('td', null, r.unit),
            h('td', null, r.last === null ? '-' : r.last.toFixed(2)),
            h('td', null, r.max === null ? '-' : r.max.toFixed(2))
          )
        )
      )
    )
  );
}
