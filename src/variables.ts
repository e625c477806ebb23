/**
 * Template variables answered from the resource routes: clients, sites
 * (optionally of a client), components (of a site, optionally by node type) and
 * fields (of a site or component). text = name, value = id (shortName for fields).
 */
import {
  CustomVariableSupport,
  DataQueryRequest,
  DataQueryResponse,
  FieldType,
  MetricFindValue,
  ScopedVars,
  createDataFrame,
} from '@grafana/data';
import { TemplateSrv } from '@grafana/runtime';
import { Observable } from 'rxjs';

import type { DataSource } from './datasource';
import { firstId, interpolateIdList, interpolateText } from './interpolate';
import { LocusResources } from './resources';
import { fieldLabel } from './components/pickers/fieldOptions';
import { VARIABLE_SITE_LIMIT } from './variableLimits';
import { LocusVariableQuery } from './types';
import { VariableQueryEditor } from './components/VariableQueryEditor';

export { VARIABLE_SITE_LIMIT };

/** variableValues fetches a variable's options. */
export async function variableValues(
  resources: LocusResources,
  q: LocusVariableQuery,
  ts: TemplateSrv,
  scopedVars: ScopedVars = {},
  signal?: AbortSignal
): Promise<MetricFindValue[]> {
  switch (q.kind) {
    case 'clients': {
      const clients = await resources.clients(signal);
      return clients.map((c) => ({ text: c.name || `Client ${c.id}`, value: String(c.id) }));
    }
    case 'sites': {
      const clientId = interpolateIdList(q.clientId, scopedVars, ts);
      const { sites } = await resources.searchSites(interpolateText(q.search, scopedVars, ts) ?? '', {
        clientId: clientId || undefined,
        limit: VARIABLE_SITE_LIMIT,
        signal,
      });
      return sites.map((s) => ({ text: s.name || `Site ${s.id}`, value: String(s.id) }));
    }
    case 'components': {
      const siteId = firstId(q.siteId, ts, scopedVars);
      if (!siteId) {
        return [];
      }
      const nodeType = (interpolateText(q.nodeType, scopedVars, ts) ?? '').trim().toUpperCase();
      const components = await resources.components(siteId, signal);
      return components
        .filter((c) => !nodeType || (c.nodeType ?? '').toUpperCase() === nodeType)
        .map((c) => ({ text: c.name || `Component ${c.id}`, value: String(c.id) }));
    }
    case 'fields': {
      const componentId = firstId(q.componentId, ts, scopedVars);
      const siteId = firstId(q.siteId, ts, scopedVars);
      const target = componentId
        ? { type: 'component' as const, id: componentId }
        : siteId
          ? { type: 'site' as const, id: siteId }
          : undefined;
      if (!target) {
        return [];
      }
      const fields = await resources.fields(target.type, target.id, signal);
      return fields.map((f) => ({ text: `${fieldLabel(f)} · ${f.shortName}`, value: f.shortName }));
    }
    default:
      return [];
  }
}

/** LocusVariableSupport plugs the variable editor and variableValues into Grafana. */
export class LocusVariableSupport extends CustomVariableSupport<DataSource, LocusVariableQuery> {
  editor = VariableQueryEditor;

  constructor(private readonly datasource: DataSource) {
    super();
  }

  query(request: DataQueryRequest<LocusVariableQuery>): Observable<DataQueryResponse> {
    const q = request.targets[0];
    // An Observable (not a Promise) so that Grafana unsubscribing cancels the fetch.
    return new Observable<DataQueryResponse>((subscriber) => {
      const controller = new AbortController();
      this.datasource
        .variableValues(q, request.scopedVars, controller.signal)
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
