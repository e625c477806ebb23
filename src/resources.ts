/**
 * Typed access to the backend's resource routes (see the resource contract):
 * every call takes an AbortSignal so editors cancel their fetches on unmount,
 * and small metadata answers are cached for a minute per data source.
 */
import {
  ClientInfo,
  ComponentInfo,
  ComponentsResponse,
  FieldInfo,
  FieldsResponse,
  LocusQuery,
  PlanInfo,
  SiteInfo,
  SitesResponse,
  WorstSitesResponse,
} from './types';

/** ResourceGetter is DataSourceWithBackend.getResource narrowed to what we use. */
export type ResourceGetter = <T>(
  path: string,
  params?: Record<string, string | number>,
  options?: { abortSignal?: AbortSignal; showErrorAlert?: boolean }
) => Promise<T>;

/** PlanParams are the inputs of GET /plan. */
export interface PlanParams {
  /** The panel's time series queries as they will run (interpolated, dashboard zone set). */
  queries: LocusQuery[];
  /** The query whose plan is asked. */
  refId: string;
  from: number;
  to: number;
  intervalMs?: number;
  maxDataPoints?: number;
}

/** SITE_SEARCH_LIMIT is how many sites one picker search shows; 0 asks for every match. */
export const SITE_SEARCH_LIMIT = 50;

/** COMPONENT_SEARCH_LIMIT is how many components one partner-wide search shows. */
export const COMPONENT_SEARCH_LIMIT = 100;

/** CACHE_MS is how long metadata answers are reused by the editors. */
const CACHE_MS = 60_000;

/** LocusResources wraps the resource routes of one data source instance. */
export class LocusResources {
  private cache = new Map<string, { at: number; value: unknown }>();
  /** Names of the clients, sites and components the editors have seen, for texts people read (query history). */
  private names = new Map<string, string>();

  /** nameOf is the name of a client, site or component seen in an answer so far, if any. */
  nameOf(kind: 'client' | 'site' | 'component', id: string): string | undefined {
    return this.names.get(`${kind}:${id}`);
  }

  private remember(kind: 'client' | 'site' | 'component', items: Array<{ id: number; name: string }>) {
    for (const it of items) {
      if (it?.name) {
        this.names.set(`${kind}:${it.id}`, it.name);
      }
    }
  }

  constructor(private readonly get: ResourceGetter) {}

  /** clients lists the partner's clients. */
  async clients(signal?: AbortSignal): Promise<ClientInfo[]> {
    const r = await this.cached<{ clients: ClientInfo[] }>('clients', {}, signal);
    this.remember('client', r.clients ?? []);
    return r.clients ?? [];
  }

  /** searchSites searches sites server-side by name, city, state or id. */
  async searchSites(
    query: string,
    opts: { clientId?: string; limit?: number; signal?: AbortSignal } = {}
  ): Promise<SitesResponse> {
    const params: Record<string, string | number> = { limit: opts.limit ?? SITE_SEARCH_LIMIT };
    if (query.trim()) {
      params.query = query.trim();
    }
    if (opts.clientId) {
      params.clientId = opts.clientId;
    }
    const r = await this.get<SitesResponse>('sites', params, this.options(opts.signal));
    this.remember('site', r.sites ?? []);
    return { sites: r.sites ?? [], total: r.total ?? (r.sites ?? []).length };
  }

  /** site fetches one site (for the picker's label). */
  async site(id: string, signal?: AbortSignal): Promise<SiteInfo> {
    const r = await this.cached<{ site: SiteInfo }>(`sites/${encodeURIComponent(id)}`, {}, signal);
    this.remember('site', [r.site]);
    return r.site;
  }

  /** components lists a site's components in tree order. */
  async components(siteId: string, signal?: AbortSignal): Promise<ComponentInfo[]> {
    const r = await this.cached<{ components: ComponentInfo[] }>(
      `sites/${encodeURIComponent(siteId)}/components`,
      {},
      signal
    );
    this.remember('component', r.components ?? []);
    return r.components ?? [];
  }

  /**
   * componentsOfSites lists the components of one or more sites (ids comma-separated): the union,
   * each site in tree order, optionally only some node types (comma list); one partner-level call
   * upstream above 10 sites.
   */
  async componentsOfSites(siteIds: string, nodeType?: string, signal?: AbortSignal): Promise<ComponentInfo[]> {
    const params: Record<string, string | number> = { siteId: siteIds, limit: 0 };
    if (nodeType) {
      params.nodeType = nodeType;
    }
    const r = await this.cached<ComponentsResponse>('components', params, signal);
    return r.components ?? [];
  }

  /**
   * searchComponents searches the partner's components by every word of text
   * (name, node ID, node type, OEM, model, id, site name), ordered by site;
   * each carries its siteName.
   */
  async searchComponents(text: string, signal?: AbortSignal): Promise<{ components: ComponentInfo[]; total: number }> {
    const r = await this.get<{ components: ComponentInfo[]; total?: number }>(
      'components',
      { query: text.trim(), limit: COMPONENT_SEARCH_LIMIT },
      this.options(signal)
    );
    const components = r.components ?? [];
    this.remember('component', components);
    return { components, total: r.total ?? components.length };
  }

  /** component fetches one component with its site's name (for the picker's label). */
  async component(id: string, signal?: AbortSignal): Promise<ComponentInfo> {
    const r = await this.cached<{ component: ComponentInfo }>(`components/${encodeURIComponent(id)}`, {}, signal);
    this.remember('component', [r.component]);
    if (r.component?.siteId && r.component.siteName) {
      this.remember('site', [{ id: r.component.siteId, name: r.component.siteName }]);
    }
    return r.component;
  }

  /** fieldsOf lists the union of the fields of one or more sites or components, with the backend's warning when cut. */
  async fieldsOf(entityType: 'site' | 'component', ids: string, signal?: AbortSignal): Promise<FieldsResponse> {
    return this.cached<FieldsResponse>('dataavailable', { entityType, id: ids }, signal);
  }

  /** fields lists the data fields a site or component offers. */
  async fields(entityType: 'site' | 'component', id: string, signal?: AbortSignal): Promise<FieldInfo[]> {
    const r = await this.cached<{ fields: FieldInfo[] }>('dataavailable', { entityType, id }, signal);
    return r.fields ?? [];
  }

  /** bulkFields lists the fields of partner bulk data. */
  async bulkFields(signal?: AbortSignal): Promise<FieldInfo[]> {
    const r = await this.cached<{ fields: FieldInfo[] }>('bulk/dataavailable', {}, signal);
    return r.fields ?? [];
  }

  /**
   * plan asks what a time series query will do when it runs (granularity,
   * zone, requests, offered granularities, notices or its refusal): the
   * backend plans the panel's queries with the query path's own planner.
   */
  plan(p: PlanParams, signal?: AbortSignal): Promise<PlanInfo> {
    const params: Record<string, string | number> = {
      queries: JSON.stringify(p.queries),
      refId: p.refId,
      from: p.from,
      to: p.to,
    };
    if (p.intervalMs) {
      params.intervalMs = p.intervalMs;
    }
    if (p.maxDataPoints) {
      params.maxDataPoints = p.maxDataPoints;
    }
    return this.get<PlanInfo>('plan', params, this.options(signal));
  }

  /** timezones lists common IANA zones for the named-zone picker. */
  async timezones(signal?: AbortSignal): Promise<string[]> {
    const r = await this.cached<{ timezones: string[] }>('timezones', {}, signal);
    return r.timezones ?? [];
  }

  /**
   * worstSites lists the fleet ranking's worst sites over [from, to) (epoch ms), worst performance
   * index first, at most limit; clientId and siteId narrow the scope (id lists). Not cached: the
   * ranking depends on the range, and the backend's client caches its upstream calls.
   */
  worstSites(
    p: { from: number; to: number; limit: number; clientId?: string; siteId?: string },
    signal?: AbortSignal
  ): Promise<WorstSitesResponse> {
    const params: Record<string, string | number> = { from: p.from, to: p.to, limit: p.limit };
    if (p.clientId) {
      params.clientId = p.clientId;
    }
    if (p.siteId) {
      params.siteId = p.siteId;
    }
    return this.get<WorstSitesResponse>('ranking/worst', params, this.options(signal));
  }

  private options(signal?: AbortSignal) {
    // Editors show resource errors inline, so Grafana's global error toast is off.
    return { abortSignal: signal, showErrorAlert: false };
  }

  private async cached<T>(path: string, params: Record<string, string | number>, signal?: AbortSignal): Promise<T> {
    const key = `${path}?${new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString()}`;
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < CACHE_MS) {
      return hit.value as T;
    }
    const value = await this.get<T>(path, params, this.options(signal));
    this.cache.set(key, { at: Date.now(), value });
    return value;
  }
}

/** isAbortError tells a cancelled request apart from a failure. */
export function isAbortError(err: unknown): boolean {
  if (!err || typeof err !== 'object') {
    return false;
  }
  const e = err as { name?: string; cancelled?: boolean };
  return e.name === 'AbortError' || e.cancelled === true;
}

/** resourceErrorMessage turns a failed resource call into a sentence for the editor. */
export function resourceErrorMessage(err: unknown): string {
  if (typeof err === 'string') {
    return err;
  }
  if (err && typeof err === 'object') {
    const e = err as {
      data?: { error?: string; message?: string };
      status?: number;
      statusText?: string;
      message?: string;
    };
    const detail = e.data?.error || e.data?.message || e.message || e.statusText;
    if (detail && e.status) {
      return `${detail} (HTTP ${e.status})`;
    }
    if (detail) {
      return detail;
    }
    if (e.status) {
      return `request failed with HTTP ${e.status}`;
    }
  }
  return 'request failed';
}
