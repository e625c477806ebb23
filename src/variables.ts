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
import { interpolateIdList, interpolateText, splitList } from './interpolate';
import { LocusResources } from './resources';
import { fieldLabel } from './components/pickers/fieldOptions';
import { LocusVariableQuery } from './types';
import { VariableQueryEditor } from './components/VariableQueryEditor';

/** WARNING_PREFIX starts the option a variable adds when its list is incomplete (value ''). */
export const WARNING_PREFIX = '⚠ ';

/** numericIds keeps the numeric ids of an interpolated list ("All" of an empty variable gives none). */
function numericIds(list: string | undefined): string {
  return splitList(list)
    .filter((id) => /^\d+$/.test(id))
    .join(',');
}

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
      // Every site (limit 0): the backend searches its cached site list, so this costs at most one upstream call.
      const clientId = interpolateIdList(q.clientId, scopedVars, ts);
      const { sites, total } = await resources.searchSites(interpolateText(q.search, scopedVars, ts) ?? '', {
        clientId: clientId || undefined,
        limit: 0,
        signal,
      });
      const values = sites.map((s) => ({ text: s.name || `Site ${s.id}`, value: String(s.id) }));
      return total > sites.length
        ? [...values, { text: `${WARNING_PREFIX}${sites.length} of ${total} sites listed`, value: '' }]
        : values;
    }
    case 'components': {
      // A multi-value or All site scope gives the union of the sites' components.
      const siteIds = numericIds(interpolateIdList(q.siteId, scopedVars, ts));
      if (!siteIds) {
        return [];
      }
      const nodeType = (interpolateText(q.nodeType, scopedVars, ts) ?? '').trim().toUpperCase();
      const components = await resources.componentsOfSites(siteIds, nodeType || undefined, signal);
      return components.map((c) => ({ text: c.name || `Component ${c.id}`, value: String(c.id) }));
    }
    case 'fields': {
      const componentIds = numericIds(interpolateIdList(q.componentId, scopedVars, ts));
      const siteIds = numericIds(interpolateIdList(q.siteId, scopedVars, ts));
      const target = componentIds
        ? { type: 'component' as const, ids: componentIds }
        : siteIds
          ? { type: 'site' as const, ids: siteIds }
          : undefined;
      if (!target) {
        return [];
      }
      const r = await resources.fieldsOf(target.type, target.ids, signal);
      const values: MetricFindValue[] = (r.fields ?? []).map((f) => ({
        text: `${fieldLabel(f)} · ${f.shortName}`,
        value: f.shortName,
      }));
      return r.warning ? [...values, { text: `${WARNING_PREFIX}${r.warning}`, value: '' }] : values;
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
