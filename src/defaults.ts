/** Default queries per type and the completeness rules filterQuery applies. */
import { ALL_QUERY_TYPES, LocusQuery, QueryOf, QueryType } from './types';

/** defaultQuery builds a fresh query of one type. */
export function defaultQuery<T extends QueryType>(queryType: T, refId = 'A'): QueryOf<T> {
  const byType: { [K in QueryType]: QueryOf<K> } = {
    timeseries: {
      refId,
      queryType: 'timeseries',
      entityType: 'site',
      fields: [],
      granularity: 'auto',
      timeZoneMode: 'site',
    },
    latest: { refId, queryType: 'latest', componentId: '', fields: [] },
    bulk: { refId, queryType: 'bulk', fields: [], format: 'table' },
    alerts: { refId, queryType: 'alerts', scope: 'partner', status: '' },
    metadata: { refId, queryType: 'metadata', kind: 'sites' },
    ranking: { refId, queryType: 'ranking' },
  };
  return byType[queryType];
}

/** isQueryType tells whether a value names a query type. */
export function isQueryType(v: unknown): v is QueryType {
  return typeof v === 'string' && (ALL_QUERY_TYPES as string[]).includes(v);
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
 * ids, alias, and the chosen fields between the types that take data fields
 * (time series, latest, fleet bulk; the editor flags a field the new target
 * does not offer instead of dropping it unseen).
 */
export function switchQueryType(q: LocusQuery, to: QueryType): LocusQuery {
  const next: LocusQuery = { ...defaultQuery(to, q.refId), alias: q.alias, hide: q.hide, datasource: q.datasource };
  const from = q as Partial<Record<'siteId' | 'componentId' | 'fields', unknown>>;
  const siteId = typeof from.siteId === 'string' ? from.siteId : undefined;
  const componentId = typeof from.componentId === 'string' ? from.componentId : undefined;
  const fields = Array.isArray(from.fields) ? from.fields.filter((f): f is string => typeof f === 'string') : [];
  switch (next.queryType) {
    case 'timeseries':
      return { ...next, siteId, componentId, fields, entityType: componentId ? 'component' : 'site' };
    case 'latest':
      return { ...next, componentId: componentId ?? '', fields };
    case 'bulk':
      return { ...next, fields };
    case 'alerts':
      return { ...next, siteId, componentId, scope: componentId ? 'component' : siteId ? 'site' : 'partner' };
    case 'metadata':
      return { ...next, siteId, kind: siteId ? 'components' : 'sites' };
    default:
      return next;
  }
}

/** missingParts lists what a query still needs before it can run (empty when complete). */
export function missingParts(q: LocusQuery): string[] {
  const missing: string[] = [];
  switch (q.queryType) {
    case 'timeseries':
      if ((q.entityType ?? 'site') === 'component' ? !q.componentId : !q.siteId) {
        missing.push(q.entityType === 'component' ? 'a component' : 'a site');
      }
      if (!q.fields?.length) {
        missing.push('at least one field');
      }
      if (q.timeZoneMode === 'named' && !q.timeZone?.trim()) {
        missing.push('a zone');
      }
      break;
    case 'latest':
      if (!q.componentId) {
        missing.push('a component');
      }
      if (!q.fields?.length) {
        missing.push('at least one field');
      }
      break;
    case 'bulk':
      if (!q.fields?.length) {
        missing.push('at least one field');
      }
      break;
    case 'alerts':
      if (q.scope === 'site' && !q.siteId) {
        missing.push('a site');
      }
      if (q.scope === 'component' && !q.componentId) {
        missing.push('a component');
      }
      break;
    case 'metadata':
      if (['components', 'installinfo', 'modelsettings'].includes(q.kind) && !q.siteId) {
        missing.push('a site');
      }
      if (q.kind === 'fields' && !q.siteId && !q.componentId) {
        missing.push('a site or component');
      }
      break;
  }
  return missing;
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
