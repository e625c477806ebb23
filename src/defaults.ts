/**
 * Fresh queries, switching type and completeness (what filterQuery applies),
 * all read from the query type table (queryTypes.ts).
 */
import { Carried, QUERY_TYPES, descriptorOf, isQueryType } from './queryTypes';
import { LocusQuery, QueryOf, QueryType } from './types';

/** defaultQuery builds a fresh query of one type: its descriptor's defaults, copied. */
export function defaultQuery<T extends QueryType>(queryType: T, refId = 'A'): QueryOf<T> {
  const defaults: object = JSON.parse(JSON.stringify(QUERY_TYPES[queryType].defaults));
  return { refId, queryType, ...defaults } as QueryOf<T>;
}

/**
 * normalizeQuery fills a stored or new query (possibly without a queryType,
 * as Explore creates them) with the defaults of its type.
 */
export function normalizeQuery(q: Partial<LocusQuery> & { refId?: string }): LocusQuery {
  const type = isQueryType(q.queryType) ? q.queryType : 'timeseries';
  return { ...defaultQuery(type, q.refId ?? 'A'), ...q, queryType: type } as LocusQuery;
}

/**
 * switchQueryType turns a query into another type, keeping what both share:
 * alias, and what the new type's descriptor carries over (ids, the chosen
 * data fields).
 */
export function switchQueryType(q: LocusQuery, to: QueryType): LocusQuery {
  const next = { ...defaultQuery(to, q.refId), alias: q.alias, hide: q.hide, datasource: q.datasource };
  const from = q as Partial<Record<'siteId' | 'componentId' | 'fields', unknown>>;
  const carried: Carried = {
    siteId: typeof from.siteId === 'string' ? from.siteId : undefined,
    componentId: typeof from.componentId === 'string' ? from.componentId : undefined,
    fields: Array.isArray(from.fields) ? from.fields.filter((f): f is string => typeof f === 'string') : [],
  };
  return { ...next, ...descriptorOf(to).carry?.(carried) } as LocusQuery;
}

/** missingParts lists what a query still needs before it can run (empty when complete). */
export function missingParts(q: LocusQuery): string[] {
  return descriptorOf(q.queryType).missing(q);
}

/** isQueryComplete tells whether a query has everything it needs to run. */
export function isQueryComplete(q: LocusQuery): boolean {
  return missingParts(q).length === 0;
}

/** WORST_SITES_DEFAULT is how many sites a worstSites variable lists without a limit; WORST_SITES_MAX the most it may. */
export const WORST_SITES_DEFAULT = 10;
export const WORST_SITES_MAX = 1000;

/** worstSitesLimit is a worstSites variable's limit: a whole number from 1 to WORST_SITES_MAX, else the default. */
export function worstSitesLimit(limit: number | undefined): number {
  return limit !== undefined && Number.isInteger(limit) && limit >= 1 && limit <= WORST_SITES_MAX
    ? limit
    : WORST_SITES_DEFAULT;
}
