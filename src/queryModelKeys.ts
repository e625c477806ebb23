/**
 * A runtime description of the query model, checked both ways: tsc fails if it
 * omits or invents a key of a LocusQuery member or names the wrong kind, and a
 * jest test compares it with src/generated/query-model.json, which the Go test
 * (pkg/query/schema_test.go) compares with the Go structs.
 */
import { Kind } from './jsonKind';
import { GrafanaOwnedKeys, LocusQuery, QueryType } from './types';

/** ModelKeys describes one union member: every model key (required) with its kind. */
type ModelKeys<Q> = { [K in Exclude<keyof Q, GrafanaOwnedKeys>]-?: Kind<NonNullable<Q[K]>> };

/** QueryModelKeys is the shape QUERY_MODEL_KEYS must have. */
export type QueryModelKeys = { [T in QueryType]: ModelKeys<Extract<LocusQuery, { queryType: T }>> };

/** QUERY_MODEL_KEYS lists every JSON key of every query type with its kind. */
export const QUERY_MODEL_KEYS: QueryModelKeys = {
  ranking: {
    refId: 'string',
    queryType: 'string',
    alias: 'string',
    clientId: 'string',
    siteId: 'string',
    perSite: 'boolean',
    availabilityThreshold: 'number',
  },
  timeseries: {
    refId: 'string',
    queryType: 'string',
    alias: 'string',
    entityType: 'string',
    siteId: 'string',
    componentId: 'string',
    fields: 'string[]',
    fieldParams: 'record',
    granularity: 'string',
    timeZoneMode: 'string',
    timeZone: 'string',
    edges: 'string',
  },
  latest: {
    refId: 'string',
    queryType: 'string',
    alias: 'string',
    componentId: 'string',
    fields: 'string[]',
  },
  bulk: {
    refId: 'string',
    queryType: 'string',
    alias: 'string',
    fields: 'string[]',
    format: 'string',
    clientId: 'string',
    latestMonthOnly: 'boolean',
  },
  alerts: {
    refId: 'string',
    queryType: 'string',
    alias: 'string',
    scope: 'string',
    siteId: 'string',
    componentId: 'string',
    alertTypes: 'string[]',
    priorities: 'string[]',
    status: 'string',
  },
  metadata: {
    refId: 'string',
    queryType: 'string',
    alias: 'string',
    kind: 'string',
    clientId: 'string',
    siteId: 'string',
    componentId: 'string',
    nodeType: 'string',
  },
};
