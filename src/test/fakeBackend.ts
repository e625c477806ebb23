/**
 * A stand-in for Grafana's BackendSrv, installed with setBackendSrv: it answers
 * the resource routes from fixtures, records every request, honours abort
 * signals and captures /api/ds/query bodies. This is the only boundary the
 * tests replace; every component above it is real.
 */
import { BackendSrv, BackendSrvRequest, FetchResponse, setBackendSrv } from '@grafana/runtime';
import { Observable } from 'rxjs';

import { BULK_FIELDS, CLIENTS, COMPONENT_FIELDS, COMPONENTS, SITE_FIELDS, SITES, TIMEZONES } from './fixtures';

/** RESOURCE_PREFIX is where DataSourceWithBackend sends resource calls for the test data source. */
export const RESOURCE_PREFIX = '/api/datasources/uid/locus-test/resources/';

/** RecordedRequest is one call seen by the fake. */
export interface RecordedRequest {
  path: string;
  params: Record<string, string>;
  aborted: boolean;
  signal?: AbortSignal;
  body?: unknown;
}

type Handler = (params: Record<string, string>, path: string) => unknown;

/** FakeBackend answers resource routes; tests may override a route or make it hang. */
export class FakeBackend {
  requests: RecordedRequest[] = [];
  overrides = new Map<string, Handler>();
  /** Routes (path prefixes) whose answers never come, to test cancellation. */
  hanging = new Set<string>();
  /** Every /api/ds/query body. */
  queries: unknown[] = [];
  /** Answers scheduled but not yet delivered (hanging routes not counted). */
  private pending = 0;
  private idleWaiters: Array<() => void> = [];

  /** current is the backend installed last (what settle() waits on). */
  static current: FakeBackend | undefined;

  install() {
    const fetch = (options: BackendSrvRequest) => this.fetch(options);
    setBackendSrv({ fetch } as unknown as BackendSrv);
    FakeBackend.current = this;
    return this;
  }

  /** idle resolves once every answer scheduled so far has been delivered (at once when none is pending). */
  idle(): Promise<void> {
    if (this.pending === 0) {
      return Promise.resolve();
    }
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private answered() {
    this.pending--;
    if (this.pending === 0) {
      this.idleWaiters.splice(0).forEach((resolve) => resolve());
    }
  }

  /** calls returns the recorded resource calls to a path (exact match). */
  calls(path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  private fetch(options: BackendSrvRequest): Observable<FetchResponse<unknown>> {
    return new Observable((subscriber) => {
      if (options.url.startsWith('/api/ds/query')) {
        this.queries.push(options.data);
        subscriber.next(response({ results: {} }));
        subscriber.complete();
        return;
      }
      if (!options.url.startsWith(RESOURCE_PREFIX)) {
        subscriber.error({ status: 404, data: { error: `unexpected URL ${options.url}` } });
        return;
      }
      const path = options.url.slice(RESOURCE_PREFIX.length);
      const params: Record<string, string> = {};
      Object.entries(options.params ?? {}).forEach(([k, v]) => (params[k] = String(v)));
      const rec: RecordedRequest = { path, params, aborted: false, signal: options.abortSignal };
      this.requests.push(rec);
      const onAbort = () => {
        rec.aborted = true;
        subscriber.error({ cancelled: true });
      };
      if (options.abortSignal?.aborted) {
        onAbort();
        return;
      }
      options.abortSignal?.addEventListener('abort', onAbort);
      if ([...this.hanging].some((h) => path.startsWith(h))) {
        return () => options.abortSignal?.removeEventListener('abort', onAbort);
      }
      // Answer asynchronously, as the network would.
      this.pending++;
      let done = false;
      const finish = () => {
        if (!done) {
          done = true;
          this.answered();
        }
      };
      const timer = setTimeout(() => {
        try {
          subscriber.next(response(this.route(path, params)));
          subscriber.complete();
        } catch (e) {
          subscriber.error(e);
        } finally {
          finish();
        }
      }, 0);
      return () => {
        clearTimeout(timer);
        finish();
        options.abortSignal?.removeEventListener('abort', onAbort);
      };
    });
  }

  private route(path: string, params: Record<string, string>): unknown {
    const override = [...this.overrides.entries()].find(([p]) => p === path);
    if (override) {
      return override[1](params, path);
    }
    if (path === 'clients') {
      return { clients: CLIENTS };
    }
    if (path === 'sites') {
      const q = (params.query ?? '').toLowerCase();
      const matches = SITES.filter(
        (s) =>
          (!params.clientId || String(s.clientId) === params.clientId) &&
          (!q || [s.name, s.city, s.state, String(s.id)].some((v) => (v ?? '').toLowerCase().includes(q)))
      );
      const limit = Number(params.limit ?? 50) || matches.length;
      return { sites: matches.slice(0, limit), total: matches.length };
    }
    let m = /^sites\/(\d+)$/.exec(path);
    if (m) {
      const site = SITES.find((s) => String(s.id) === m![1]);
      if (!site) {
        throw { status: 404, data: { error: `site ${m[1]} not found` } };
      }
      return { site };
    }
    m = /^sites\/(\d+)\/components$/.exec(path);
    if (m) {
      return { components: m[1] === '1000' ? COMPONENTS : [] };
    }
    if (path === 'components' && params.siteId) {
      // Only site 1000 has components (as the per-site route says).
      const types = (params.nodeType ?? '').toUpperCase().split(',').filter(Boolean);
      const ids = params.siteId.split(',');
      const components = ids.includes('1000')
        ? COMPONENTS.filter((c) => !types.length || types.includes((c.nodeType ?? '').toUpperCase()))
        : [];
      return { components, total: components.length };
    }
    if (path === 'components') {
      if (params.query !== undefined) {
        // As the backend: every word of query in name, node ID, node type, OEM, model, id or site name.
        const site = SITES.find((s) => s.id === 1000)!;
        const words = (params.query ?? '').toLowerCase().split(/\s+/).filter(Boolean);
        const matches = COMPONENTS.map((c) => ({ ...c, depth: 0, siteId: site.id, siteName: site.name })).filter(
          (c) => {
            const hay = [c.name, c.nodeId, c.nodeType, c.oem, c.model, String(c.id), c.siteName]
              .join(' ')
              .toLowerCase();
            return words.every((w) => hay.includes(w));
          }
        );
        return { components: matches.slice(0, Number(params.limit ?? 500) || matches.length), total: matches.length };
      }
      const needle = (params.nodeId ?? '').replace(/%/g, '').toLowerCase();
      const matches = COMPONENTS.filter((c) => (c.nodeId ?? '').toLowerCase().includes(needle));
      return { components: matches.slice(0, Number(params.limit ?? 500) || matches.length), total: matches.length };
    }
    m = /^components\/(\d+)$/.exec(path);
    if (m) {
      const c = COMPONENTS.find((x) => String(x.id) === m![1]);
      if (!c) {
        throw { status: 404, data: { error: `Locus has no component ${m[1]} (404): check the component id` } };
      }
      return { component: { ...c, siteId: 1000, siteName: SITES.find((s) => s.id === 1000)!.name } };
    }
    if (path === 'dataavailable') {
      return { fields: params.entityType === 'component' ? COMPONENT_FIELDS : SITE_FIELDS };
    }
    if (path === 'bulk/dataavailable') {
      return { fields: BULK_FIELDS };
    }
    if (path === 'plan') {
      // A canned plan of the asked query (the real one comes from the engine).
      const queries = JSON.parse(params.queries ?? '[]') as Array<{
        refId: string;
        granularity?: string;
        siteId?: string;
      }>;
      const q = queries.find((x) => x.refId === params.refId);
      if (!q) {
        throw { status: 400, data: { error: `query "${params.refId}" is not a time series query` } };
      }
      const auto = !q.granularity || q.granularity === 'auto';
      const gran = auto ? '15min' : q.granularity!;
      const offered = ['5min', '15min', 'hourly', 'daily'];
      return {
        refId: q.refId,
        requests: 2,
        offered,
        entities: [
          {
            entity: `site ${q.siteId} "Solar Farm"`,
            id: Number(q.siteId),
            timeZone: 'America/Los_Angeles',
            granularity: gran,
            auto,
            offered,
            requests: 2,
            from: new Date(Number(params.from)).toISOString(),
            to: new Date(Number(params.to)).toISOString(),
            notices: auto ? ['Auto chose 15min: the finest granularity within 1000 points'] : [],
          },
        ],
      };
    }
    if (path === 'timezones') {
      return { timezones: TIMEZONES };
    }
    throw { status: 404, data: { error: `no route ${path}` } };
  }
}

function response<T>(data: T): FetchResponse<T> {
  return {
    data,
    status: 200,
    statusText: 'OK',
    ok: true,
    headers: new Headers(),
    redirected: false,
    type: 'basic',
    url: '',
    config: { url: '' },
  };
}
