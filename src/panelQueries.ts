/**
 * What the panel sends: which queries run, with their template variables
 * replaced and the dashboard's zone set. The data source runs queries through
 * these functions and the time series editor asks the backend to plan exactly
 * what they give, so the plan hint never differs from the query that runs.
 */
import { ScopedVars } from '@grafana/data';
import { TemplateSrv } from '@grafana/runtime';

import { isQueryComplete, normalizeQuery } from './defaults';
import { interpolator } from './interpolate';
import { descriptorOf } from './queryTypes';
import { resolveDashboardZone } from './timezone';
import { LocusQuery } from './types';

/** interpolateQuery applies template variables to the alias and to every id, field and zone of a query (its descriptor's interpolate). */
export function interpolateQuery(query: LocusQuery, scopedVars: ScopedVars, templateSrv: TemplateSrv): LocusQuery {
  const v = interpolator(scopedVars, templateSrv);
  return { ...query, alias: v.text(query.alias), ...descriptorOf(query.queryType).interpolate(query, v) } as LocusQuery;
}

/** willRun tells whether a query runs: not hidden and complete once filled with its type's defaults. */
export function willRun(query: LocusQuery): boolean {
  return !query.hide && isQueryComplete(normalizeQuery(query));
}

/** prepareQuery fills a query with its type's defaults and replaces its template variables. */
export function prepareQuery(query: LocusQuery, scopedVars: ScopedVars, templateSrv: TemplateSrv): LocusQuery {
  return interpolateQuery(normalizeQuery(query), scopedVars, templateSrv);
}

/** withDashboardZone sets zone (IANA) on a time series query in the "dashboard" time zone mode. */
export function withDashboardZone(query: LocusQuery, zone: string): LocusQuery {
  return query.queryType === 'timeseries' && query.timeZoneMode === 'dashboard' ? { ...query, timeZone: zone } : query;
}

/** interpolatedToNothing tells whether a complete query became incomplete once its variables were replaced. */
export function interpolatedToNothing(query: LocusQuery, scopedVars: ScopedVars, templateSrv: TemplateSrv): boolean {
  const normalized = normalizeQuery(query);
  return isQueryComplete(normalized) && !isQueryComplete(interpolateQuery(normalized, scopedVars, templateSrv));
}

/**
 * panelAsRun is what the panel will send while `query` is edited: the panel's
 * queries that will run, with `query` as edited (even if not yet complete),
 * filled with their defaults, interpolated and given the dashboard's zone
 * (Grafana's: 'browser', 'utc', '' or IANA) exactly as the data source's
 * query() does. The time series editor asks the backend to plan these.
 */
export function panelAsRun(
  query: LocusQuery,
  panel: LocusQuery[] | undefined,
  dashboardZone: string | undefined,
  templateSrv: TemplateSrv
): LocusQuery[] {
  const zone = resolveDashboardZone(dashboardZone);
  const all = (panel ?? []).map((q) => (q.refId === query.refId ? query : q));
  if (!all.some((q) => q.refId === query.refId)) {
    all.push(query);
  }
  return all
    .map((q) => normalizeQuery(q))
    .filter((q) => q.refId === query.refId || willRun(q))
    .map((q) => withDashboardZone(prepareQuery(q, {}, templateSrv), zone));
}
