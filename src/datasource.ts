/**
 * The Locus Energy data source: queries go to the Go backend through
 * DataSourceWithBackend; the editors use the backend's resource routes.
 */
import {
  AnnotationQuery,
  CoreApp,
  CustomVariableSupport,
  DataFrame,
  DataQueryRequest,
  DataQueryResponse,
  DataSourceInstanceSettings,
  FieldType,
  MetricFindValue,
  ScopedVars,
  createDataFrame,
} from '@grafana/data';
import { DataSourceWithBackend, getTemplateSrv } from '@grafana/runtime';
import { Observable, of } from 'rxjs';

import { alertFramesToEvents } from './annotations';
import { AnnotationQueryEditor } from './components/AnnotationQueryEditor';
import { VariableQueryEditor } from './components/VariableQueryEditor';
import { defaultQuery, isQueryComplete, normalizeQuery } from './defaults';
import { interpolatedToNothing, prepareQuery, willRun, withDashboardZone } from './panelQueries';
import { queryDisplayText } from './queryDisplay';
import { resolveDashboardZone } from './timezone';
import { LocusResources } from './resources';
import { AlertsQuery, LocusDataSourceOptions, LocusQuery, LocusVariableQuery } from './types';
import { VariableRange, variableValues } from './variables';

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
    return willRun(query);
  }

  applyTemplateVariables(query: LocusQuery, scopedVars: ScopedVars): LocusQuery {
    return prepareQuery(query, scopedVars, getTemplateSrv());
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
      .map((t) => withDashboardZone(t, zone));
    if (targets.length === 0) {
      return of({ data: [] });
    }
    return super.query({ ...request, targets });
  }

  getQueryDisplayText(query: LocusQuery): string {
    return queryDisplayText(normalizeQuery(query), (kind, id) => this.resources.nameOf(kind, id));
  }

  /** variableValues lists a template variable's options (range: the dashboard's, for a worstSites ranking). */
  variableValues(
    q: LocusVariableQuery,
    scopedVars: ScopedVars = {},
    signal?: AbortSignal,
    range?: VariableRange
  ): Promise<MetricFindValue[]> {
    return variableValues(this.resources, q, getTemplateSrv(), scopedVars, signal, range);
  }
}

/** LocusVariableSupport plugs the variable editor and variableValues into Grafana. */
class LocusVariableSupport extends CustomVariableSupport<DataSource, LocusVariableQuery> {
  editor = VariableQueryEditor;

  constructor(private readonly datasource: DataSource) {
    super();
  }

  query(request: DataQueryRequest<LocusVariableQuery>): Observable<DataQueryResponse> {
    const q = request.targets[0];
    // An Observable (not a Promise) so that Grafana unsubscribing cancels the fetch.
    return new Observable<DataQueryResponse>((subscriber) => {
      const controller = new AbortController();
      const range = request.range ? { from: request.range.from.valueOf(), to: request.range.to.valueOf() } : undefined;
      this.datasource
        .variableValues(q, request.scopedVars, controller.signal, range)
        .then((values) => {
          subscriber.next({ data: [valuesFrame(values)] });
          subscriber.complete();
        })
        .catch((err) => subscriber.error(err));
      return () => controller.abort();
    });
  }
}

/** valuesFrame is the text/value frame Grafana reads variable options from. */
function valuesFrame(values: MetricFindValue[]) {
  return createDataFrame({
    fields: [
      { name: 'text', type: FieldType.string, values: values.map((v) => v.text) },
      { name: 'value', type: FieldType.string, values: values.map((v) => String(v.value ?? v.text)) },
    ],
  });
}

/** alertsTarget turns a stored annotation target (possibly empty or of another type) into an alerts query. */
function alertsTarget(target: LocusQuery | undefined, refId = 'Anno'): AlertsQuery {
  if (target && target.queryType === 'alerts') {
    return { ...defaultQuery('alerts', target.refId || refId), ...target };
  }
  return defaultQuery('alerts', target?.refId || refId);
}
