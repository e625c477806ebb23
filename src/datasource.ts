/**
 * The Locus Energy data source: queries go to the Go backend through
 * DataSourceWithBackend; the editors use the backend's resource routes.
 */
import {
  AnnotationQuery,
  CoreApp,
  DataFrame,
  DataQueryRequest,
  DataQueryResponse,
  DataSourceInstanceSettings,
  MetricFindValue,
  ScopedVars,
} from '@grafana/data';
import { DataSourceWithBackend, TemplateSrv, getTemplateSrv } from '@grafana/runtime';
import { Observable, of } from 'rxjs';

import { alertFramesToEvents } from './annotations';
import { AnnotationQueryEditor } from './components/AnnotationQueryEditor';
import { defaultQuery, isQueryComplete, normalizeQuery } from './defaults';
import { interpolateQuery } from './interpolate';
import { queryDisplayText } from './queryDisplay';
import { resolveDashboardZone } from './timezone';
import { LocusResources } from './resources';
import { AlertsQuery, LocusDataSourceOptions, LocusQuery, LocusVariableQuery } from './types';
import { LocusVariableSupport, VariableRange, variableValues } from './variables';

/** DataSource is the frontend half of the plugin. */
export class DataSource extends DataSourceWithBackend<LocusQuery, LocusDataSourceOptions> {
  /** resources gives the editors typed, cancellable access to the resource routes. */
  readonly resources: LocusResources;

  constructor(instanceSettings: DataSourceInstanceSettings<LocusDataSourceOptions>) {
    super(instanceSettings);
    this.resources = new LocusResources((path, params, options) => this.getResource(path, params, options));
    this.variables = new LocusVariableSupport(this);
    this.annotations = {
      QueryEditor: AnnotationQueryEditor,
      getDefaultQuery: () => defaultQuery('alerts'),
      prepareAnnotation: (json: AnnotationQuery<LocusQuery>) => ({
        ...json,
        target: alertsTarget(json.target, json.refId),
      }),
      prepareQuery: (anno: AnnotationQuery<LocusQuery>) => {
        const target = alertsTarget(anno.target, anno.refId);
        return isQueryComplete(target) ? target : undefined;
      },
      processEvents: (_anno: AnnotationQuery<LocusQuery>, frames: DataFrame[]) =>
        of(alertFramesToEvents(frames, Date.now())),
    };
  }

  getDefaultQuery(_app: CoreApp): Partial<LocusQuery> {
    return defaultQuery('timeseries');
  }

  filterQuery(query: LocusQuery): boolean {
    return !query.hide && isQueryComplete(normalizeQuery(query));
  }

  applyTemplateVariables(query: LocusQuery, scopedVars: ScopedVars): LocusQuery {
    return interpolateQuery(normalizeQuery(query), scopedVars, getTemplateSrv());
  }

  /**
   * query adds the dashboard's zone to queries in the "dashboard" time zone
   * mode, skips queries whose entity variable interpolated to nothing (a site
   * without a weather station shows "No data", not an error), then runs the
   * rest on the backend.
   */
  query(request: DataQueryRequest<LocusQuery>): Observable<DataQueryResponse> {
    const zone = resolveDashboardZone(request.timezone);
    const templateSrv = getTemplateSrv();
    const targets = request.targets
      .filter((t) => !interpolatedToNothing(t, request.scopedVars, templateSrv))
      .map((t) => (t.queryType === 'timeseries' && t.timeZoneMode === 'dashboard' ? { ...t, timeZone: zone } : t));
    if (targets.length === 0) {
      return of({ data: [] });
    }
    return super.query({ ...request, targets });
  }

  /**
   * planQueries is what the panel will send for `query`'s plan: its time series
   * queries that will run (with `query` as edited, even if not yet complete),
   * interpolated and given the dashboard's zone exactly as query() does.
   */
  planQueries(query: LocusQuery, panel: LocusQuery[] | undefined, dashboardZone: string | undefined): LocusQuery[] {
    const zone = resolveDashboardZone(dashboardZone);
    const all = (panel ?? []).map((q) => (q.refId === query.refId ? query : q));
    if (!all.some((q) => q.refId === query.refId)) {
      all.push(query);
    }
    return all
      .map((q) => normalizeQuery(q))
      .filter((q) => q.queryType === 'timeseries' && (q.refId === query.refId || this.filterQuery(q)))
      .map((q) => this.applyTemplateVariables(q, {}))
      .map((q) => (q.queryType === 'timeseries' && q.timeZoneMode === 'dashboard' ? { ...q, timeZone: zone } : q));
  }

  getQueryDisplayText(query: LocusQuery): string {
    return queryDisplayText(normalizeQuery(query), (kind, id) => this.resources.nameOf(kind, id));
  }

  /** variableValues lists a template variable's options. */
  variableValues(
    q: LocusVariableQuery,
    scopedVars: ScopedVars = {},
    signal?: AbortSignal,
    range?: VariableRange
  ): Promise<MetricFindValue[]> {
    return variableValues(this.resources, q, getTemplateSrv(), scopedVars, signal, range);
  }
}

/** interpolatedToNothing tells whether a complete query became incomplete once its variables were replaced. */
function interpolatedToNothing(q: LocusQuery, scopedVars: ScopedVars, templateSrv: TemplateSrv): boolean {
  const normalized = normalizeQuery(q);
  return isQueryComplete(normalized) && !isQueryComplete(interpolateQuery(normalized, scopedVars, templateSrv));
}

/** alertsTarget turns a stored annotation target (possibly empty or of another type) into an alerts query. */
function alertsTarget(target: LocusQuery | undefined, refId = 'Anno'): AlertsQuery {
  if (target && target.queryType === 'alerts') {
    return { ...defaultQuery('alerts', target.refId || refId), ...target };
  }
  return defaultQuery('alerts', target?.refId || refId);
}
