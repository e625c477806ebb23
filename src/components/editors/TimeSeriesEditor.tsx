import { getTemplateSrv } from '@grafana/runtime';
import { EditorField, EditorRows } from '@grafana/plugin-ui';
import { Alert, Combobox, ComboboxOption, Stack, Text } from '@grafana/ui';
import React, { useMemo, useState } from 'react';

import { firstId } from '../../interpolate';
import { LocusResources } from '../../resources';
import { kpiFieldInfos } from '../../kpi';
import { selectors } from '../../selectors';
import { EdgeMode, EntityType, FieldInfo, GRANULARITIES, PlanInfo, TimeZoneMode } from '../../types';
import { ResourceState, useResource } from '../hooks';
import { ClientField } from '../pickers/ClientPicker';
import { ComponentField, ComponentTree, useComponentTree } from '../pickers/ComponentField';
import { fieldParameters, notOffered, paramLabel, selectedFieldInfos } from '../pickers/fieldOptions';
import { FieldPicker } from '../pickers/FieldPicker';
import { SiteField } from '../pickers/SiteField';
import { TimeZoneField, ZONE_MODES } from '../pickers/TimeZoneField';
import { AliasField, QueryOptionsRow } from '../QueryOptions';
import { FieldRow, RadioField, SelectField, SwitchField } from '../fields';
import { GENERIC_DEFAULT_NAME, defaultSeriesName } from '../../seriesName';
import { TypedEditorProps, updater } from './types';

const EDGE_MODES: Array<ComboboxOption<EdgeMode>> = [
  {
    value: 'exact',
    label: 'Exact',
    description: 'Buckets cut by the range are recomputed from finer data over their part inside it',
  },
  { value: 'omit', label: 'Omit', description: 'Buckets cut by the range are left out (with a notice)' },
];

const ENTITY_TYPES: Array<{ label: string; value: EntityType; description: string }> = [
  { label: 'Site', value: 'site', description: 'Site-level data (one series per site and field)' },
  { label: 'Component', value: 'component', description: 'Data of meters, inverters, weather stations, ...' },
];

/** TimeSeriesEditor edits a time series query: entity, fields, then legend, granularity, edges and zone in the options row. */
export function TimeSeriesEditor({ resources, query, onChange, range, data, queries }: TypedEditorProps<'timeseries'>) {
  const entityType: EntityType = query.entityType ?? 'site';
  // Browsing aid (partner -> client -> site): narrows the site search, not stored in the query.
  const [clientFilter, setClientFilter] = useState<string | undefined>();
  const selected = useMemo(() => query.fields ?? [], [query.fields]);
  const tree = useComponentTree(resources, query.siteId);
  const ts = getTemplateSrv();
  const entityId = entityType === 'component' ? firstId(query.componentId, ts) : firstId(query.siteId, ts);

  const fields = useResource(
    (sig) => (entityId ? resources.fields(entityType, entityId, sig) : undefined),
    [entityType, entityId]
  );
  // Sites also offer the KPI fields the backend derives from their Locus fields.
  const available = useMemo(() => {
    const raw = fields.value ?? [];
    return entityType === 'site' ? [...raw, ...kpiFieldInfos(raw)] : raw;
  }, [fields.value, entityType]);
  const chosen = useMemo(() => selectedFieldInfos(available, selected), [available, selected]);
  const granularity = query.granularity || 'auto';
  const names = useEntityNames(resources, entityType === 'component' ? entityId : undefined, query.siteId, tree);

  const from = range?.from.valueOf();
  const to = range?.to.valueOf();
  const intervalMs = data?.request?.intervalMs;
  const maxDataPoints = data?.request?.maxDataPoints;
  // The backend plans the panel's time series queries as they will run (the
  // query path's own planner): the hint and the offered granularities show
  // its answer, never a plan of the editor's own.
  const planned = JSON.stringify((queries ?? []).filter((q) => q.queryType === 'timeseries'));
  const plan = useResource(
    (sig) =>
      entityId && selected.length && from !== undefined && to !== undefined
        ? resources.plan({ queries: JSON.parse(planned), refId: query.refId, from, to, intervalMs, maxDataPoints }, sig)
        : undefined,
    [entityId, planned, from, to, intervalMs, maxDataPoints]
  );

  const update = updater(query, onChange);
  const mode = query.timeZoneMode ?? 'site';
  const legendPlaceholder = chosen.length
    ? defaultSeriesName(chosen[0], names.site, entityType === 'component' ? names.component : undefined)
    : GENERIC_DEFAULT_NAME;

  return (
    <EditorRows>
      <FieldRow>
        <RadioField<EntityType>
          selector={selectors.query.entityType}
          options={ENTITY_TYPES}
          value={entityType}
          onChange={(v) => update({ entityType: v })}
        />
        <ClientField
          resources={resources}
          value={clientFilter}
          onChange={setClientFilter}
          width={24}
          tooltip="Only narrows the site search; the query keeps the site ids."
        />
        <SiteField
          resources={resources}
          clientId={clientFilter}
          value={query.siteId}
          onChange={(siteId) =>
            update({ siteId, componentId: entityType === 'component' ? undefined : query.componentId })
          }
          tooltip="Search by name, city, state or id. A multi-value variable or a comma-separated id list gives one series per site."
        />
        {entityType === 'component' && (
          <ComponentField
            resources={resources}
            tree={tree}
            value={query.componentId}
            onChange={(componentId) => update({ componentId })}
            tooltip="The site's component tree; search by name, type, node ID, OEM or model. Without a site, searches all components."
          />
        )}
      </FieldRow>
      <FieldRow>
        <FieldsField
          state={{ ...fields, value: fields.value && available }}
          entityId={entityId}
          entityType={entityType}
          entityName={entityType === 'component' ? names.component : names.site}
          value={selected}
          onChange={(f) => update({ fields: f })}
        />
        <ModelParameters query={query} chosen={chosen} onChange={(fieldParams) => update({ fieldParams })} />
      </FieldRow>
      <QueryOptionsRow
        collapsedInfo={[
          `Legend: ${query.alias || 'Auto'}`,
          `Granularity: ${granularity === 'auto' ? (plan.value?.entities?.[0]?.granularity ? `Auto (${plan.value.entities[0].granularity})` : 'Auto') : granularity}`,
          `Edges: ${query.edges === 'omit' ? 'Omit' : 'Exact'}`,
          `Time zone: ${mode === 'named' ? query.timeZone || 'Named, not chosen' : (ZONE_MODES.find((m) => m.value === mode)?.label ?? mode)}`,
        ]}
      >
        <AliasField
          key={query.alias ?? ''}
          value={query.alias}
          placeholder={legendPlaceholder}
          onCommit={(alias) => update({ alias: alias || undefined })}
        />
        <SelectField<string>
          selector={selectors.query.granularity}
          tooltip="Auto picks the finest granularity that fits the panel's range and width within the API's span limits."
          width={24}
          options={granularityOptions(granularity, plan.value)}
          value={granularity}
          onChange={(g) => update({ granularity: g })}
        />
        <SelectField<EdgeMode>
          selector={selectors.query.edges}
          tooltip="Values describe only time inside the panel's range. A bucket the range cuts (such as the first day of 'Last 7 days') is recomputed over its part inside the range, or left out."
          width={12}
          options={EDGE_MODES}
          value={query.edges ?? 'exact'}
          onChange={(e) => update({ edges: e === 'exact' ? undefined : e })}
        />
        <EditorField label={selectors.query.timeZoneMode.label}>
          <TimeZoneField
            resources={resources}
            mode={mode}
            zone={query.timeZone}
            // Named without a zone is incomplete: wait for the zone before running.
            onChange={(m: TimeZoneMode, zone) => update({ timeZoneMode: m, timeZone: zone }, m !== 'named' || !!zone)}
          />
        </EditorField>
      </QueryOptionsRow>
      <PlanHint plan={plan} granularity={granularity} />
    </EditorRows>
  );
}

/** EntityNames are the names of the chosen site and component, when known. */
interface EntityNames {
  site?: string;
  component?: string;
}

/** useEntityNames names the chosen site (one id) and component (from the tree, or asked for by id). */
export function useEntityNames(
  resources: LocusResources,
  componentId: string | undefined,
  siteId: string | undefined,
  tree: ComponentTree
): EntityNames {
  const single = siteId && /^\d+$/.test(siteId) ? siteId : undefined;
  const site = useResource((sig) => (single ? resources.site(single, sig) : undefined), [single]);
  const inTree = componentId ? tree.components.find((c) => String(c.id) === componentId) : undefined;
  const lookup = componentId && /^\d+$/.test(componentId) && !inTree && !tree.loading ? componentId : undefined;
  const component = useResource((sig) => (lookup ? resources.component(lookup, sig) : undefined), [lookup]);
  const c = inTree ?? component.value;
  return { site: site.value?.name ?? c?.siteName, component: c?.name };
}

/**
 * ModelParameters are the deprecated field parameters (modelType,
 * irradianceSource, inverterClipping): Locus ignores them, so their boxes
 * stay hidden unless the user opts in (or the query already sets one).
 */
function ModelParameters({
  query,
  chosen,
  onChange,
}: {
  query: TypedEditorProps<'timeseries'>['query'];
  chosen: FieldInfo[];
  onChange: (fieldParams: Record<string, string> | undefined) => void;
}) {
  const params = fieldParameters(chosen);
  const set = Object.keys(query.fieldParams ?? {}).length > 0;
  const [optIn, setOptIn] = useState(set);
  if (!params.length && !set) {
    return null;
  }
  const open = optIn || set;
  return (
    <>
      <SwitchField
        selector={selectors.query.modelParams}
        optional
        tooltip="Deprecated: Locus ignores modelType, irradianceSource and inverterClipping. Shown only to edit queries that set them."
        value={open}
        disabled={set}
        onChange={setOptIn}
      />
      {open &&
        params.map((p) => (
          <EditorField
            key={p.param}
            label={paramLabel(p.param)}
            htmlFor={selectors.query.fieldParam(p.param).id}
            optional
            tooltip={`${p.param}, a deprecated parameter of ${p.fields.join(', ')} that Locus ignores; empty sends nothing.`}
          >
            <Combobox<string>
              id={selectors.query.fieldParam(p.param).id}
              data-testid={selectors.query.fieldParam(p.param).id}
              width={20}
              placeholder="Not sent"
              options={p.values.map((v) => ({ value: v, label: v }))}
              value={query.fieldParams?.[p.param] ?? null}
              isClearable
              onChange={(o) => {
                const next = { ...(query.fieldParams ?? {}) };
                if (o?.value) {
                  next[p.param] = o.value;
                } else {
                  delete next[p.param];
                }
                onChange(Object.keys(next).length ? next : undefined);
              }}
            />
          </EditorField>
        ))}
    </>
  );
}

/**
 * granularityOptions offers Auto (with what it resolves to) and the granularities
 * the plan says every chosen field offers (every known one until a plan says).
 */
function granularityOptions(current: string, plan?: PlanInfo): Array<ComboboxOption<string>> {
  const known = !!plan?.offered.length;
  // Only time series granularities: "latest" is the Latest query, not a bucket size.
  const offered: string[] = known ? plan!.offered.filter((g) => g !== 'latest') : [...GRANULARITIES];
  const options: Array<ComboboxOption<string>> = [
    {
      value: 'auto',
      label: 'Auto',
      description: plan?.entities?.[0]?.granularity
        ? `Resolves to ${plan.entities[0].granularity} for this panel`
        : 'Chosen from the range and panel width',
    },
    ...offered.map((g) => ({ value: g, label: g })),
  ];
  if (current !== 'auto' && !offered.includes(current)) {
    options.push({ value: current, label: current, description: 'Not offered by every chosen field' });
  }
  return options;
}

interface FieldsFieldProps {
  state: ResourceState<FieldInfo[]>;
  entityId?: string;
  entityType: EntityType;
  /** The entity's name, for the messages ("Inverter 1 reports no data fields"). */
  entityName?: string;
  value: string[];
  onChange: (fields: string[]) => void;
}

/**
 * FieldsField is the Fields picker with its loading, error and empty states;
 * chosen fields the entity does not offer (after a switch of site or
 * component) stay chosen, marked on their chip and named in the field's
 * error, so nothing is dropped unseen.
 */
export function FieldsField({ state, entityId, entityType, entityName, value, onChange }: FieldsFieldProps) {
  const loaded = !!entityId && !state.loading && !state.error && state.value !== undefined;
  const offered = state.value ?? [];
  const missing = loaded ? notOffered(offered, value) : [];
  const who = entityName ?? `this ${entityType}`;
  const error = state.error
    ? `Could not load the ${entityType}'s fields: ${state.error}`
    : loaded && !offered.length
      ? `${who} reports no data fields (its dataavailable list is empty): choose another ${entityType}${entityType === 'site' ? ', or one of its components' : ''}`
      : missing.length
        ? `Not offered by ${who}: ${missing.join(', ')}. Remove ${missing.length > 1 ? 'them' : 'it'}, or choose a ${entityType} that offers ${missing.length > 1 ? 'them' : 'it'}`
        : undefined;
  return (
    <FieldPicker
      fields={offered}
      value={value}
      loading={state.loading}
      error={error}
      tooltip="Only the fields this entity reports (its dataavailable), grouped by source: Measured, Modeled, Expected."
      placeholder={
        !entityId ? `Choose a ${entityType} first` : loaded && !offered.length ? 'No fields to choose' : 'Choose fields'
      }
      onChange={onChange}
    />
  );
}

/** PlanHint shows the backend's plan of the query: what it will request, or why it will be refused. */
function PlanHint({ plan, granularity }: { plan: ResourceState<PlanInfo>; granularity: string }) {
  if (plan.error) {
    return (
      <div data-testid={selectors.query.planHint}>
        <Text color="warning" variant="bodySmall">
          Could not preview the request plan: {plan.error}
        </Text>
      </div>
    );
  }
  if (!plan.value) {
    return null;
  }
  const p = plan.value;
  if (p.error) {
    return (
      <div data-testid={selectors.query.planHint}>
        <Alert severity="warning" title="This query will be refused">
          {p.error}
        </Alert>
      </div>
    );
  }
  const entities = p.entities ?? [];
  const zones = [...new Set(entities.map((e) => e.timeZone))];
  const grans = [...new Set(entities.map((e) => e.granularity).filter(Boolean))];
  const edgeRequests = entities
    .flatMap((e) => e.edges ?? [])
    .flatMap((e) => e.parts)
    .reduce((n, part) => n + (part.chunks ?? 0), 0);
  // The head already names the choice: a notice "Granularity auto chose 15min: why" keeps only its why.
  const notices = [
    ...new Set(
      entities.flatMap((e) => e.notices ?? []).map((n) => n.replace(/^Granularity auto chose \S+(, |: )?/, ''))
    ),
  ];
  const head = grans.length
    ? `${granularity === 'auto' ? 'Auto resolves to' : 'Granularity'} ${grans.join(', ')}`
    : 'Nothing to fetch';
  const requests =
    (p.requests === 1 ? '1 request' : `${p.requests} requests`) +
    (edgeRequests ? ` (${edgeRequests} for partial buckets at the range's edges)` : '');
  const zone = zones.length > 1 ? `${zones.length} zones` : (zones[0] ?? '');
  return (
    <div data-testid={selectors.query.planHint}>
      <Stack direction="column" gap={0}>
        <Text color="secondary" variant="bodySmall">
          {head} for this panel · {zone} · {requests}
        </Text>
        {notices.map((n) => (
          <Text key={n} color="secondary" variant="bodySmall">
            {n}
          </Text>
        ))}
      </Stack>
    </div>
  );
}
