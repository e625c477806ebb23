/**
 * Template variable interpolation of the query model. Ids and field names are
 * interpolated with the csv format, so a multi-value or "All" variable becomes
 * a comma-separated list (the backend returns one series per id).
 */
import { ScopedVars } from '@grafana/data';
import { TemplateSrv } from '@grafana/runtime';

/** splitList splits a comma-separated list, trimming and dropping empty entries. */
export function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** interpolateText interpolates a free-text value (zone, alias) with the default format, or with `format`; '' stays ''. */
export function interpolateText(
  value: string | undefined,
  scopedVars: ScopedVars,
  ts: TemplateSrv,
  format?: string
): string | undefined {
  return value === undefined || value === '' ? value : ts.replace(value, scopedVars, format);
}

/** interpolateIdList interpolates an id (or list of ids) into a normalised comma-separated list. */
export function interpolateIdList(
  value: string | undefined,
  scopedVars: ScopedVars,
  ts: TemplateSrv
): string | undefined {
  const list = interpolateText(value, scopedVars, ts, 'csv');
  return list === undefined || list === '' ? list : unique(splitList(list)).join(',');
}

/** interpolateList interpolates every entry of a list, expanding multi-value variables into several entries. */
export function interpolateList(
  values: string[] | undefined,
  scopedVars: ScopedVars,
  ts: TemplateSrv
): string[] | undefined {
  return values && unique(values.flatMap((v) => splitList(ts.replace(v, scopedVars, 'csv'))));
}

function unique(values: string[]): string[] {
  return Array.from(new Set(values));
}

/**
 * Interpolator replaces the template variables of one query (the functions
 * above, bound to its scoped variables); each query type's descriptor
 * (queryTypes.ts) applies it to its keys.
 */
export interface Interpolator {
  /** ids turns an id, id list or variable into a normalised comma-separated id list. */
  ids(value: string | undefined): string | undefined;
  /** list interpolates every entry, expanding multi-value variables into several entries. */
  list(values: string[] | undefined): string[] | undefined;
  /** text interpolates free text (zone, alias, status, node type) with the default format. */
  text(value: string | undefined): string | undefined;
}

/** interpolator binds the interpolation functions to one query's scoped variables. */
export function interpolator(scopedVars: ScopedVars, ts: TemplateSrv): Interpolator {
  return {
    ids: (value) => interpolateIdList(value, scopedVars, ts),
    list: (values) => interpolateList(values, scopedVars, ts),
    text: (value) => interpolateText(value, scopedVars, ts),
  };
}

/** firstId interpolates an id field and returns its first id, for editors that need one entity (fields, plan). */
export function firstId(value: string | undefined, ts: TemplateSrv, scopedVars: ScopedVars = {}): string | undefined {
  const id = splitList(interpolateIdList(value, scopedVars, ts))[0];
  return id && /^\d+$/.test(id) ? id : undefined;
}
