/**
 * Template variables answered from the resource routes: clients, sites
 * (optionally of a client), components (of a site, optionally by node type),
 * fields (of a site or component) and worst sites (the fleet ranking's worst N
 * over the dashboard's range). text = name, value = id (shortName for fields).
 */
import { MetricFindValue, ScopedVars } from '@grafana/data';
import { TemplateSrv } from '@grafana/runtime';

import { interpolateIdList, interpolateText, splitList } from './interpolate';
import { worstSitesLimit } from './defaults';
import { LocusResources } from './resources';
import { fieldLabel } from './components/pickers/fieldOptions';
import { LocusVariableQuery } from './types';

/** WARNING_PREFIX starts the option a variable adds when its list is incomplete (value ''). */
const WARNING_PREFIX = '⚠ ';

/** VariableRange is the dashboard's time range in epoch ms (the ranking of a worstSites variable is over it). */
export interface VariableRange {
  from: number;
  to: number;
}

/** lastWeek is the range a worstSites preview ranks over when the editor has no dashboard range. */
function lastWeek(): VariableRange {
  const to = Date.now();
  return { from: to - 7 * 24 * 3600 * 1000, to };
}

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
  signal?: AbortSignal,
  range?: VariableRange
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
    case 'worstSites': {
      // The ranking query's rows with a performance index, worst first, cut at the limit (a setting of the variable).
      const limit = worstSitesLimit(q.limit);
      const clientId = numericIds(interpolateIdList(q.clientId, scopedVars, ts));
      const siteId = numericIds(interpolateIdList(q.siteId, scopedVars, ts));
      const { from, to } = range ?? lastWeek();
      const r = await resources.worstSites(
        { from, to, limit, clientId: clientId || undefined, siteId: siteId || undefined },
        signal
      );
      const values = r.sites.map((s) => ({ text: s.name || `Site ${s.id}`, value: String(s.id) }));
      return r.total > r.sites.length
        ? [
            ...values,
            {
              text: `${WARNING_PREFIX}worst ${r.sites.length} of ${r.total} sites by performance index over the range (limit ${limit})`,
              value: '',
            },
          ]
        : values;
    }
    default:
      return [];
  }
}
