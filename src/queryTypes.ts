/**
 * The query types, one descriptor each: the one table the frontend derives
 * everything per type from (the query editor's type picker and editor, fresh
 * queries, switching type, what a query still needs, template variables, the
 * query history line). A new query type is
 * its model (types.ts, queryModelKeys.ts) plus one entry here
 * (docs/development.md, "Adding a query type"); the Go side has its own table
 * (pkg/query), and src/generated/enums.json fails the drift test until both
 * list the same types in the same order.
 */
import { ComponentType } from 'react';

import { AlertsEditor } from './components/editors/AlertsEditor';
import { BulkEditor } from './components/editors/BulkEditor';
import { LatestEditor } from './components/editors/LatestEditor';
import { MetadataEditor } from './components/editors/MetadataEditor';
import { RankingEditor } from './components/editors/RankingEditor';
import { TimeSeriesEditor } from './components/editors/TimeSeriesEditor';
import { TypedEditorProps } from './components/editors/types';
import { Interpolator } from './interpolate';
import { MetadataKind, QueryOf, QueryType } from './types';

/** Carried is what a query keeps when the user switches it to another type. */
export interface Carried {
  siteId?: string;
  componentId?: string;
  /** The chosen data fields (variables included); [] when the old type had none. */
  fields: string[];
}

/** QueryTypeDescriptor describes one query type. */
export interface QueryTypeDescriptor<T extends QueryType> {
  /** label names the type in the type picker and the query history ("Time series"). */
  label: string;
  /** description is the picker option's tooltip. */
  description: string;
  /** Editor edits a query of this type below the type picker. */
  Editor: ComponentType<TypedEditorProps<T>>;
  /** defaults are a fresh query's keys besides refId and queryType (copied, never shared). */
  defaults: Omit<QueryOf<T>, 'refId' | 'queryType'>;
  /**
   * carry turns what another query had into keys of this type when the user
   * switches to it (the editor flags a field the new target does not offer
   * instead of dropping it unseen); absent, nothing is carried.
   */
  carry?: (from: Carried) => Partial<QueryOf<T>>;
  /** missing lists what a query still needs before it can run ("a site", "at least one field"); [] when complete. */
  missing: (q: QueryOf<T>) => string[];
  /**
   * interpolate replaces the template variables of the type's keys (the
   * alias is done for every type): ids as comma-separated lists, so a
   * multi-value variable gives one series per id.
   */
  interpolate: (q: QueryOf<T>, v: Interpolator) => Partial<QueryOf<T>>;
  /** summary describes a query for the query history, after the label: target, fields, options. */
  summary: (q: QueryOf<T>, say: SummaryWords) => string[];
}

/** SummaryWords words the parts of a query summary. */
export interface SummaryWords {
  /** entity names clients, sites or components by name when known ("site Solar Farm 0042"), else by id ("site #1041"). */
  entity: (kind: 'client' | 'site' | 'component', value: string | undefined) => string;
  /** fields lists the chosen fields, or says there are none. */
  fields: (fields: string[] | undefined) => string;
}

/** QueryTypeTable has one descriptor per query type; a missing one fails type-checking. */
export type QueryTypeTable = { [T in QueryType]: QueryTypeDescriptor<T> };

/** needs lists the parts whose condition holds, in order. */
function needs(...parts: Array<[boolean, string]>): string[] {
  return parts.filter(([lacking]) => lacking).map(([, part]) => part);
}

/** words keeps the parts of a summary that are set. */
function words(...parts: Array<string | false | undefined>): string[] {
  return parts.filter((p): p is string => !!p);
}

/** ZONE_WORDS name the zone modes in a summary ('named' shows its zone). */
const ZONE_WORDS: Record<string, string> = { site: 'site local', dashboard: 'dashboard', utc: 'UTC' };

/** SITE_KINDS are the metadata tables of one site. */
const SITE_KINDS: MetadataKind[] = ['components', 'installinfo', 'modelsettings'];

/** QUERY_TYPES describes every query type, in the order the picker shows them (Go: AllTypes). */
export const QUERY_TYPES: QueryTypeTable = {
  timeseries: {
    label: 'Time series',
    description: 'Site or component data over the time range',
    Editor: TimeSeriesEditor,
    defaults: { entityType: 'site', fields: [], granularity: 'auto', timeZoneMode: 'site' },
    carry: ({ siteId, componentId, fields }) => ({
      siteId,
      componentId,
      fields,
      entityType: componentId ? 'component' : 'site',
    }),
    missing: (q) => {
      const component = (q.entityType ?? 'site') === 'component';
      return needs(
        [component ? !q.componentId : !q.siteId, component ? 'a component' : 'a site'],
        [!q.fields?.length, 'at least one field'],
        [q.timeZoneMode === 'named' && !q.timeZone?.trim(), 'a zone']
      );
    },
    interpolate: (q, v) => ({
      siteId: v.ids(q.siteId),
      componentId: v.ids(q.componentId),
      fields: v.list(q.fields) ?? [],
      fieldParams: q.fieldParams
        ? Object.fromEntries(Object.entries(q.fieldParams).map(([k, p]) => [k, v.text(p) ?? '']))
        : undefined,
      timeZone: v.text(q.timeZone),
    }),
    summary: (q, say) => {
      const tz = q.timeZoneMode ?? 'site';
      return [
        q.entityType === 'component' ? say.entity('component', q.componentId) : say.entity('site', q.siteId),
        say.fields(q.fields),
        `granularity ${q.granularity || 'auto'}`,
        tz === 'named' ? `zone ${q.timeZone || 'not chosen'}` : `zone ${ZONE_WORDS[tz] ?? tz}`,
      ];
    },
  },
  latest: {
    label: 'Latest',
    description: 'The latest value of component fields',
    Editor: LatestEditor,
    defaults: { componentId: '', fields: [] },
    carry: ({ componentId, fields }) => ({ componentId: componentId ?? '', fields }),
    missing: (q) => needs([!q.componentId, 'a component'], [!q.fields?.length, 'at least one field']),
    interpolate: (q, v) => ({ componentId: v.ids(q.componentId) ?? '', fields: v.list(q.fields) ?? [] }),
    summary: (q, say) => [say.entity('component', q.componentId), say.fields(q.fields)],
  },
  bulk: {
    label: 'Fleet bulk',
    description: 'Monthly data of every site of the partner',
    Editor: BulkEditor,
    defaults: { fields: [], format: 'table' },
    carry: ({ fields }) => ({ fields }),
    missing: (q) => needs([!q.fields?.length, 'at least one field']),
    interpolate: (q, v) => ({ fields: v.list(q.fields) ?? [], clientId: v.ids(q.clientId) }),
    summary: (q, say) =>
      words(
        say.fields(q.fields),
        q.format ?? 'table',
        q.clientId && say.entity('client', q.clientId),
        q.latestMonthOnly && 'latest month'
      ),
  },
  alerts: {
    label: 'Alerts',
    description: 'Locus alerts open during the time range',
    Editor: AlertsEditor,
    defaults: { scope: 'partner', status: '' },
    carry: ({ siteId, componentId }) => ({
      siteId,
      componentId,
      scope: componentId ? 'component' : siteId ? 'site' : 'partner',
    }),
    missing: (q) =>
      needs([q.scope === 'site' && !q.siteId, 'a site'], [q.scope === 'component' && !q.componentId, 'a component']),
    interpolate: (q, v) => ({
      siteId: v.ids(q.siteId),
      componentId: v.ids(q.componentId),
      alertTypes: v.list(q.alertTypes),
      priorities: v.list(q.priorities),
      status: v.text(q.status),
    }),
    summary: (q, say) => {
      const scope = q.scope ?? 'partner';
      return words(
        scope === 'site'
          ? say.entity('site', q.siteId)
          : scope === 'component'
            ? say.entity('component', q.componentId)
            : 'partner',
        !!q.alertTypes?.length && q.alertTypes.join(', '),
        !!q.priorities?.length && `priority ${q.priorities.join(', ')}`,
        q.status
      );
    },
  },
  metadata: {
    label: 'Metadata',
    description: 'Clients, sites, components, install info, model settings, fields',
    Editor: MetadataEditor,
    defaults: { kind: 'sites' },
    carry: ({ siteId }) => ({ siteId, kind: siteId ? 'components' : 'sites' }),
    missing: (q) =>
      needs(
        [SITE_KINDS.includes(q.kind) && !q.siteId, 'a site'],
        [q.kind === 'fields' && !q.siteId && !q.componentId, 'a site or component']
      ),
    interpolate: (q, v) => ({
      clientId: v.ids(q.clientId),
      siteId: v.ids(q.siteId),
      componentId: v.ids(q.componentId),
      nodeType: v.text(q.nodeType),
    }),
    summary: (q, say) =>
      words(
        q.kind,
        q.clientId && say.entity('client', q.clientId),
        q.siteId && say.entity('site', q.siteId),
        q.componentId && say.entity('component', q.componentId),
        q.nodeType
      ),
  },
  ranking: {
    label: 'Fleet ranking',
    description: 'One row per site: energy, specific yield, performance index, PR, availability, worst first',
    Editor: RankingEditor,
    defaults: {},
    missing: () => [],
    interpolate: (q, v) => ({ clientId: v.ids(q.clientId), siteId: v.ids(q.siteId) }),
    summary: (q) =>
      words(q.siteId ? `sites ${q.siteId}` : q.clientId ? `client ${q.clientId}` : 'partner', q.perSite && 'per-site'),
  },
};

/** queryTypes lists every query type, in the table's order. */
export function queryTypes(): QueryType[] {
  return Object.keys(QUERY_TYPES) as QueryType[];
}

/** isQueryType tells whether a value names a query type of the table. */
export function isQueryType(v: unknown): v is QueryType {
  return typeof v === 'string' && Object.prototype.hasOwnProperty.call(QUERY_TYPES, v);
}

/** descriptorOf is the descriptor of a query type, typed for code that handles every type alike. */
export function descriptorOf(type: QueryType): QueryTypeDescriptor<QueryType> {
  return QUERY_TYPES[type] as unknown as QueryTypeDescriptor<QueryType>;
}

/** queryTypeOptions are the type picker's options, read from the table when asked. */
export function queryTypeOptions(): Array<{ label: string; value: QueryType; description: string }> {
  return queryTypes().map((value) => ({
    value,
    label: QUERY_TYPES[value].label,
    description: QUERY_TYPES[value].description,
  }));
}
