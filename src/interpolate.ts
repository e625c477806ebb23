/**
 * Template variable interpolation of the query model. Ids and field names are
 * interpolated with the csv format, so a multi-value or "All" variable becomes
 * a comma-separated list (the backend returns one series per id).
 */
import { ScopedVars } from '@grafana/data';
import { TemplateSrv } from '@grafana/runtime';

import { LocusQuery } from './types';

/** splitList splits a comma-separated list, trimming and dropping empty entries. */
export function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** interpolateIdList interpolates an id (or list of ids) into a normalised comma-separated list. */
export function interpolateIdList(
  value: string | undefined,
  scopedVars: ScopedVars,
  ts: TemplateSrv
): string | undefined {
  if (value === undefined || value === '') {
    return value;
  }
  return unique(splitList(ts.replace(value, scopedVars, 'csv'))).join(',');
}

/** interpolateList interpolates every entry of a list, expanding multi-value variables into several entries. */
export function interpolateList(
  values: string[] | undefined,
  scopedVars: ScopedVars,
  ts: TemplateSrv
): string[] | undefined {
  if (!values) {
    return values;
  }
  return unique(values.flatMap((v) => splitList(ts.replace(v, scopedVars, 'csv'))));
}

/** interpolateText interpolates a free-text value (zone, alias) with the default format. */
export function interpolateText(
  value: string | undefined,
  scopedVars: ScopedVars,
  ts: TemplateSrv
): string | undefined {
  if (value === undefined || value === '') {
    return value;
  }
  return ts.replace(value, scopedVars);
}

function unique(values: string[]): string[] {
  return Array.from(new Set(values));
}

/** interpolateQuery applies template variables to every id, field and zone of a query. */
export function interpolateQuery(q: LocusQuery, scopedVars: ScopedVars, ts: TemplateSrv): LocusQuery {
  const alias = interpolateText(q.alias, scopedVars, ts);
  switch (q.queryType) {
    case 'timeseries': {
      const fieldParams = q.fieldParams
        ? Object.fromEntries(
            Object.entries(q.fieldParams).map(([k, v]) => [k, interpolateText(v, scopedVars, ts) ?? ''])
          )
        : undefined;
      return {
        ...q,
        alias,
        siteId: interpolateIdList(q.siteId, scopedVars, ts),
        componentId: interpolateIdList(q.componentId, scopedVars, ts),
        fields: interpolateList(q.fields, scopedVars, ts) ?? [],
        fieldParams,
        timeZone: interpolateText(q.timeZone, scopedVars, ts),
      };
    }
    case 'latest':
      return {
        ...q,
        alias,
        componentId: interpolateIdList(q.componentId, scopedVars, ts) ?? '',
        fields: interpolateList(q.fields, scopedVars, ts) ?? [],
      };
    case 'bulk':
      return {
        ...q,
        alias,
        fields: interpolateList(q.fields, scopedVars, ts) ?? [],
        clientId: interpolateIdList(q.clientId, scopedVars, ts),
      };
    case 'alerts':
      return {
        ...q,
        alias,
        siteId: interpolateIdList(q.siteId, scopedVars, ts),
        componentId: interpolateIdList(q.componentId, scopedVars, ts),
        alertTypes: interpolateList(q.alertTypes, scopedVars, ts),
        priorities: interpolateList(q.priorities, scopedVars, ts),
        status: interpolateText(q.status, scopedVars, ts),
      };
    case 'metadata':
      return {
        ...q,
        alias,
        clientId: interpolateIdList(q.clientId, scopedVars, ts),
        siteId: interpolateIdList(q.siteId, scopedVars, ts),
        componentId: interpolateIdList(q.componentId, scopedVars, ts),
        nodeType: interpolateText(q.nodeType, scopedVars, ts),
      };
    case 'ranking':
      return {
        ...q,
        alias,
        clientId: interpolateIdList(q.clientId, scopedVars, ts),
        siteId: interpolateIdList(q.siteId, scopedVars, ts),
      };
  }
}

/** firstId interpolates an id field and returns its first id, for editors that need one entity (fields, plan). */
export function firstId(value: string | undefined, ts: TemplateSrv, scopedVars: ScopedVars = {}): string | undefined {
  const id = splitList(interpolateIdList(value, scopedVars, ts))[0];
  return id && /^\d+$/.test(id) ? id : undefined;
}
