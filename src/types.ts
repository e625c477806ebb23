/**
 * The query model (mirror of pkg/query/model.go, same JSON keys; drift-tested
 * through src/generated/query-model.json), data source settings, and the shapes
 * of the backend's resource routes.
 */
import { DataSourceJsonData } from '@grafana/data';
import { DataQuery } from '@grafana/schema';

/** QueryType is the discriminator of the query model; queryTypes.ts describes each (Go: AllTypes). */
export type QueryType = 'timeseries' | 'latest' | 'bulk' | 'alerts' | 'metadata' | 'ranking';

/** EntityType says whether a time series query targets sites or components. */
export type EntityType = 'site' | 'component';

/** TIME_ZONE_MODES lists the zone modes (Go: tzModes; drift-tested through src/generated/enums.json). */
export const TIME_ZONE_MODES = ['site', 'dashboard', 'utc', 'named'] as const;

/** TimeZoneMode says which zone aligns buckets. */
export type TimeZoneMode = (typeof TIME_ZONE_MODES)[number];

/** BULK_FORMATS lists the bulk result shapes (Go: bulkFormats). */
export const BULK_FORMATS = ['table', 'timeseries'] as const;

/** BulkFormat is the shape of a fleet bulk result. */
export type BulkFormat = (typeof BULK_FORMATS)[number];

/** ALERT_SCOPES lists the alert scopes (Go: alertScopes). */
export const ALERT_SCOPES = ['partner', 'site', 'component'] as const;

/** AlertScope is the entity level whose alerts are listed. */
export type AlertScope = (typeof ALERT_SCOPES)[number];

/** ALERT_STATUSES lists the alert status filters besides '' (Go: knownStatuses). */
export const ALERT_STATUSES = ['open', 'closed'] as const;

/** AlertStatus filters alerts; '' means open and closed. */
export type AlertStatus = '' | (typeof ALERT_STATUSES)[number];

/** METADATA_KINDS lists the metadata tables (Go: metadataKinds). */
export const METADATA_KINDS = ['clients', 'sites', 'components', 'installinfo', 'modelsettings', 'fields'] as const;

/** MetadataKind is the table a metadata query returns. */
export type MetadataKind = (typeof METADATA_KINDS)[number];

/** NODE_TYPES are the node types the plugin names (Go: query.NodeTypes); Locus may report others. */
export const NODE_TYPES = ['METER', 'INVERTER', 'WEATHERSTATION'] as const;

/** Granularity is Auto or one of the API's granularities. */
export type Granularity = 'auto' | '1min' | '5min' | '15min' | 'hourly' | 'daily' | 'monthly' | 'yearly';

/** GRANULARITIES lists the explicit granularities, finest first. */
export const GRANULARITIES: Array<Exclude<Granularity, 'auto'>> = [
  '1min',
  '5min',
  '15min',
  'hourly',
  'daily',
  'monthly',
  'yearly',
];

/** Keys of DataQuery that Grafana owns and the Go model does not carry. */
export type GrafanaOwnedKeys = 'hide' | 'key' | 'datasource';

/** BaseQuery (Go: Base) is shared by every query type. */
interface BaseQuery extends DataQuery {
  /** Legend template: {{site}} {{component}} {{field}} {{longName}} {{aggregation}} {{source}} {{unit}}. */
  alias?: string;
}

/** TimeSeriesQuery is data for sites or components over the panel's range. */
export interface TimeSeriesQuery extends BaseQuery {
  queryType: 'timeseries';
  entityType?: EntityType;
  /** One site id, a comma-separated list, or a template variable. */
  siteId?: string;
  /** One component id, a comma-separated list, or a template variable. */
  componentId?: string;
  /**
   * dataavailable shortNames such as W_avg, Wh_sum; for sites also the KPI fields
   * specificYield, normalisedPower, performanceIndex, performanceRatio (docs/kpi.md).
   */
  fields: string[];
  /** Field parameters (modelType, irradianceSource, inverterClipping). */
  fieldParams?: Record<string, string>;
  granularity?: string;
  timeZoneMode?: TimeZoneMode;
  /** IANA zone for 'named' (set by the editor) and 'dashboard' (set by the data source at query time). */
  timeZone?: string;
  /** Buckets straddling the range's from or to: recomputed from finer data ('exact', default) or left out ('omit'). */
  edges?: EdgeMode;
}

/** EDGE_MODES lists the edge modes (Go: planner.EdgesExact, EdgesOmit; drift-tested). */
export const EDGE_MODES = ['exact', 'omit'] as const;

/** EdgeMode says what happens to a bucket straddling the range's edges (docs/range-contract.md). */
export type EdgeMode = (typeof EDGE_MODES)[number];

/** LatestQuery is the latest point of component fields. */
export interface LatestQuery extends BaseQuery {
  queryType: 'latest';
  componentId: string;
  fields: string[];
}

/** BulkQuery is partner-wide monthly site data. */
export interface BulkQuery extends BaseQuery {
  queryType: 'bulk';
  fields: string[];
  format?: BulkFormat;
  clientId?: string;
  latestMonthOnly?: boolean;
}

/** AlertsQuery lists Locus alerts open during the panel's range. */
export interface AlertsQuery extends BaseQuery {
  queryType: 'alerts';
  scope?: AlertScope;
  siteId?: string;
  componentId?: string;
  alertTypes?: string[];
  priorities?: string[];
  status?: string;
}

/** MetadataQuery is a table of Locus metadata. */
export interface MetadataQuery extends BaseQuery {
  queryType: 'metadata';
  kind: MetadataKind;
  clientId?: string;
  siteId?: string;
  componentId?: string;
  nodeType?: string;
}

/** RankingQuery ranks the sites in scope over the range, worst performance index first (docs/kpi.md). */
export interface RankingQuery extends BaseQuery {
  queryType: 'ranking';
  /** Sites of these clients only (comma-separated ids or a variable). */
  clientId?: string;
  /** These sites only (comma-separated ids or a multi-value variable). */
  siteId?: string;
  /** Compute PR and availability from per-site hourly data even for whole months (one request per site and 31 days). */
  perSite?: boolean;
  /** Modelled POA irradiance (W/m²) from which an hour counts as daylight for availability; default 50. */
  availabilityThreshold?: number;
}

/** LocusQuery is the query model: a discriminated union on queryType. */
export type LocusQuery = TimeSeriesQuery | LatestQuery | BulkQuery | AlertsQuery | MetadataQuery | RankingQuery;

/** QueryOf picks the union member of one query type. */
export type QueryOf<T extends QueryType> = Extract<LocusQuery, { queryType: T }>;

/** VariableKind is what a template variable lists. */
export type VariableKind = 'clients' | 'sites' | 'components' | 'fields' | 'worstSites';

/** LocusVariableQuery is a template variable's query; it is answered from resource routes. */
export interface LocusVariableQuery extends DataQuery {
  kind: VariableKind;
  /** Sites of this client only. */
  clientId?: string;
  /** Components (or fields) of this site. */
  siteId?: string;
  /** Fields of this component (instead of the site). */
  componentId?: string;
  /** Components of this node type only (METER, INVERTER, ...). */
  nodeType?: string;
  /** Sites whose name, city, state or id contain this text. */
  search?: string;
  /** worstSites: how many of the fleet ranking's worst sites to list (1 to 1000, default 10). */
  limit?: number;
}

/** AuthType is the OAuth grant the backend uses. */
export type AuthType = 'password' | 'client_credentials';

/** LocusDataSourceOptions are the data source's non-secret settings (jsonData). */
export interface LocusDataSourceOptions extends DataSourceJsonData {
  baseUrl?: string;
  partnerId?: number;
  authType?: AuthType;
  username?: string;
  clientId?: string;
  maxConcurrentRequests?: number;
  /** Most sites or components one time series or latest query fetches (default 1000). */
  maxEntitiesPerQuery?: number;
  /** Most sites or components whose fields one fields list (/dataavailable with several ids) reads (default 20). */
  maxFieldUnionEntities?: number;
  metadataCacheSeconds?: number;
  pastDataCacheSeconds?: number;
  recentDataCacheSeconds?: number;
  demoMode?: boolean;
  /** Redis URL (redis:// or rediss://) shared by several Grafana replicas; empty: no shared state. */
  sharedStateUrl?: string;
  /** Seconds a crashed replica can hold the account's request slot (2..300, default 15). */
  sharedStateLeaseSeconds?: number;
}

/** LocusSecureJsonData are the secrets; they only ever travel browser -> Grafana, never back. */
export interface LocusSecureJsonData {
  password?: string;
  clientSecret?: string;
  sharedStatePassword?: string;
}

/** ClientInfo is one entry of GET /clients. */
export interface ClientInfo {
  id: number;
  name: string;
  email?: string;
  tz?: string;
}

/** SiteInfo is one entry of GET /sites and GET /sites/{id}. */
export interface SiteInfo {
  id: number;
  name: string;
  clientId?: number;
  city?: string;
  state?: string;
  locationTimezone?: string;
  latitude?: number;
  longitude?: number;
}

/** ComponentInfo is one entry of GET /sites/{id}/components (tree order) and GET /components. */
export interface ComponentInfo {
  id: number;
  name: string;
  siteId?: number;
  nodeId?: string;
  nodeType?: string;
  oem?: string;
  model?: string;
  parentId?: number;
  parentType?: 'SITE' | 'COMPONENT' | string;
  depth?: number;
  isConceptualNode?: boolean;
  /** Set by the query search of GET /components and by GET /components/{id}. */
  siteName?: string;
}

/** FieldParameterInfo is a data-call parameter a field accepts. */
export interface FieldParameterInfo {
  param: string;
  values: string[];
}

/** FieldInfo is one shortName of GET /dataavailable (flattened). */
export interface FieldInfo {
  shortName: string;
  baseField: string;
  longName: string;
  source: string;
  unit: string;
  grafanaUnit?: string;
  aggregation: string;
  granularities: string[];
  fieldParameters?: FieldParameterInfo[];
}

/** PlanSpan is a planned span [start, end) at a granularity, in `chunks` requests (times RFC 3339). */
export interface PlanSpan {
  granularity?: string;
  start: string;
  end: string;
  chunks?: number;
}

/** PlanEdge is a partial bucket at the range's edge, recomputed for `fields` from finer requests. */
export interface PlanEdge {
  fields: string[];
  start: string;
  end: string;
  parts: PlanSpan[];
}

/** EntityPlan is the plan of one entity of a time series query (Go query.EntityPlan). */
export interface EntityPlan {
  /** Names the entity: `site 123 "Name"`. */
  entity: string;
  id: number;
  /** The zone buckets are aligned in and sent as tz. */
  timeZone: string;
  granularity?: string;
  auto: boolean;
  reason?: string;
  /** Granularities every field offers, finest first. */
  offered: string[];
  /** Upstream data requests (interior chunks and edge requests) on a cold cache. */
  requests: number;
  /** The effective range: clamped to now, whole minutes. */
  from: string;
  to: string;
  interior?: PlanSpan;
  edges?: PlanEdge[];
  omitted?: PlanSpan[];
  /** The notices the query's frames will carry about its plan. */
  notices?: string[];
}

/**
 * PlanInfo is GET /plan: what a time series query will do when it runs, from
 * the query engine's own planning (Go query.QueryPlan; drift-tested through
 * src/generated/resource-shapes.json).
 */
export interface PlanInfo {
  refId: string;
  entities?: EntityPlan[];
  /** Upstream data requests of the whole query on a cold cache. */
  requests: number;
  /** Granularities every field offers for every entity, finest first (for a refusal at an explicit granularity, what the fields offer). */
  offered: string[];
  /** The error the query will answer instead of data, with its HTTP status. */
  error?: string;
  status?: number;
}

/** SitesResponse is GET /sites (limit=0: every match). */
export interface SitesResponse {
  sites: SiteInfo[];
  total: number;
}

/** ComponentsResponse is GET /components (by siteId list or nodeId pattern). */
export interface ComponentsResponse {
  components: ComponentInfo[];
  /** Matches before the limit. */
  total: number;
}

/** FieldsResponse is GET /dataavailable (id may be a list: the union of their fields). */
export interface FieldsResponse {
  fields: FieldInfo[];
  /** How many ids were asked and how many were read (at most 20: one request each). */
  ids?: number;
  read?: number;
  /** Set when not every id was read. */
  warning?: string;
}

/** WorstSitesResponse is GET /ranking/worst: the ranking's sites with a performance index, worst first, cut at the limit. */
export interface WorstSitesResponse {
  sites: Array<{ id: number; name: string; performanceIndex: number }>;
  /** Sites with a performance index over the range (more than listed when the limit cut the list). */
  total: number;
  /** Sites in scope. */
  ranked: number;
  /** The ranking's notices (costs, missing inputs). */
  notices: string[];
}

/** ResourceResponses maps each resource route (named as in src/generated/resources.json) to its answer. */
export interface ResourceResponses {
  clients: { clients: ClientInfo[] };
  sites: SitesResponse;
  site: { site: SiteInfo };
  /** A site's own tree names no site (siteName is only in searches and GET /components/{id}). */
  siteComponents: { components: Array<Omit<ComponentInfo, 'siteName'>> };
  components: ComponentsResponse;
  component: { component: ComponentInfo };
  dataavailable: FieldsResponse;
  bulkDataavailable: { fields: FieldInfo[] };
  plan: PlanInfo;
  timezones: { timezones: string[] };
  worstSites: WorstSitesResponse;
}
