import { getTemplateSrv } from '@grafana/runtime';
import { EditorField, EditorFieldGroup, EditorRow, EditorRows } from '@grafana/plugin-ui';
import { Alert, Combobox, ComboboxOption, RadioButtonGroup, Stack, Text } from '@grafana/ui';
import React, { useMemo, useState } from 'react';

import { firstId } from '../../interpolate';
import { kpiFieldInfos } from '../../kpi';
import { selectors } from '../../selectors';
import { EdgeMode, EntityType, FieldInfo, GRANULARITIES, PlanInfo, TimeZoneMode } from '../../types';
import { ResourceState, useResource } from '../hooks';
import { ClientPicker } from '../pickers/ClientPicker';
import { ComponentField } from '../pickers/ComponentField';
import { useComponentTree } from '../pickers/ComponentPicker';
import { fieldParameters, selectedFieldInfos } from '../pickers/fieldOptions';
import { FieldPicker } from '../pickers/FieldPicker';
import { SiteField } from '../pickers/SiteField';
import { TimeZoneField } from '../pickers/TimeZoneField';
import { TypedEditorProps } from './types';

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

/** TimeSeriesEditor edits a time series query: entity, fields, granularity, time zone. */
export function TimeSeriesEditor({
  datasource,
  query,
  onChange,
  range,
  data,
  queries,
}: TypedEditorProps<'timeseries'>) {
  const entityType: EntityType = query.entityType ?? 'site';
  // Browsing aid (partner -> client -> site): narrows the site search, not stored in the query.
  const [clientFilter, setClientFilter] = useState<string | undefined>();
  const selected = useMemo(() => query.fields ?? [], [query.fields]);
  const tree = useComponentTree(datasource, query.siteId);
  const ts = getTemplateSrv();
  const entityId = entityType === 'component' ? firstId(query.componentId, ts) : firstId(query.siteId, ts);

  const fields = useResource(
    (sig) => (entityId ? datasource.resources.fields(entityType, entityId, sig) : undefined),
    [entityType, entityId]
  );
  // Sites also offer the KPI fields the backend derives from their Locus fields.
  const available = useMemo(() => {
    const raw = fields.value ?? [];
    return entityType === 'site' ? [...raw, ...kpiFieldInfos(raw)] : raw;
  }, [fields.value, entityType]);
  const chosen = useMemo(() => selectedFieldInfos(available, selected), [available, selected]);
  const granularity = query.granularity || 'auto';

  const from = range?.from.valueOf();
  const to = range?.to.valueOf();
  const intervalMs = data?.request?.intervalMs;
  const maxDataPoints = data?.request?.maxDataPoints;
  // The backend plans the panel's time series queries as they will run (the
  // query path's own planner): the hint and the offered granularities show
  // its answer, never a plan of the editor's own.
  const planQueries = JSON.stringify(datasource.planQueries(query, queries, data?.request?.timezone));
  const plan = useResource(
    (sig) =>
      entityId && selected.length && from !== undefined && to !== undefined
        ? datasource.resources.plan(
            { queries: JSON.parse(planQueries), refId: query.refId, from, to, intervalMs, maxDataPoints },
            sig
          )
        : undefined,
    [entityId, planQueries, from, to, intervalMs, maxDataPoints]
  );

  const update = (patch: Partial<typeof query>, run = true) => onChange({ ...query, ...patch }, run);

  return (
    <EditorRows>
      <EditorRow>
        <EditorFieldGroup>
          <EditorField label={selectors.query.entityType.label}>
            <div data-testid={selectors.query.entityType.testId}>
              <RadioButtonGroup<EntityType>
                options={ENTITY_TYPES}
                value={entityType}
                onChange={(v) => update({ entityType: v })}
              />
            </div>
          </EditorField>
          <EditorField
            label={selectors.query.client.label}
            htmlFor={selectors.query.client.id}
            optional
            tooltip="Only narrows the site search; the query keeps the site ids."
          >
            <ClientPicker
              datasource={datasource}
              id={selectors.query.client.id}
              value={clientFilter}
              onChange={setClientFilter}
              width={24}
            />
          </EditorField>
          <SiteField
            datasource={datasource}
            clientId={clientFilter}
            value={query.siteId}
            onChange={(siteId) =>
              update({ siteId, componentId: entityType === 'component' ? undefined : query.componentId })
            }
            tooltip="Search by name, city, state or id. A multi-value variable or a comma-separated id list gives one series per site."
          />
          {entityType === 'component' && (
            <ComponentField
              datasource={datasource}
              tree={tree}
              value={query.componentId}
              onChange={(componentId) => update({ componentId })}
              tooltip="The site's component tree; search by name, node ID, node type, OEM or model."
            />
          )}
        </EditorFieldGroup>
      </EditorRow>
      <EditorRow>
        <EditorFieldGroup>
          <FieldsField
            state={{ ...fields, value: fields.value && available }}
            entityId={entityId}
            entityType={entityType}
            value={selected}
            onChange={(f) => update({ fields: f })}
          />
          {fieldParameters(chosen).map((p) => (
            <EditorField
              key={p.param}
              label={selectors.query.fieldParam(p.param).label}
              htmlFor={selectors.query.fieldParam(p.param).id}
              optional
              tooltip={`Parameter of ${p.fields.join(', ')}; empty uses the server's default.`}
            >
              <Combobox<string>
                id={selectors.query.fieldParam(p.param).id}
                data-testid={selectors.query.fieldParam(p.param).id}
                width={20}
                placeholder="Default"
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
                  update({ fieldParams: Object.keys(next).length ? next : undefined });
                }}
              />
            </EditorField>
          ))}
        </EditorFieldGroup>
      </EditorRow>
      <EditorRow>
        <EditorFieldGroup>
          <EditorField
            label={selectors.query.granularity.label}
            htmlFor={selectors.query.granularity.id}
            tooltip="Auto picks the finest granularity that fits the panel's range and width within the API's span limits."
          >
            <Combobox<string>
              id={selectors.query.granularity.id}
              data-testid={selectors.query.granularity.id}
              width={24}
              options={granularityOptions(granularity, plan.value)}
              value={granularity}
              onChange={(o) => update({ granularity: o.value })}
            />
          </EditorField>
          <EditorField
            label={selectors.query.edges.label}
            htmlFor={selectors.query.edges.id}
            tooltip="Values describe only time inside the panel's range. A bucket the range cuts (such as the first day of 'Last 7 days') is recomputed over its part inside the range, or left out."
          >
            <Combobox<EdgeMode>
              id={selectors.query.edges.id}
              data-testid={selectors.query.edges.id}
              width={12}
              options={EDGE_MODES}
              value={query.edges ?? 'exact'}
              onChange={(o) => update({ edges: o.value === 'exact' ? undefined : o.value })}
            />
          </EditorField>
          <EditorField label={selectors.query.timeZoneMode.label}>
            <TimeZoneField
              datasource={datasource}
              mode={query.timeZoneMode ?? 'site'}
              zone={query.timeZone}
              onChange={(mode: TimeZoneMode, zone) => update({ timeZoneMode: mode, timeZone: zone })}
            />
          </EditorField>
        </EditorFieldGroup>
      </EditorRow>
      <PlanHint plan={plan} granularity={granularity} />
    </EditorRows>
  );
}

/**
 * granularityOptions offers Auto (with what it resolves to) and the granularities
 * the plan says every chosen field offers (every known one until a plan says).
 */
function granularityOptions(current: string, plan?: PlanInfo): Array<ComboboxOption<string>> {
  const known = !!plan?.offered.length;
  const offered: string[] = known ? plan!.offered : [...GRANULARITIES];
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
  value: string[];
  onChange: (fields: string[]) => void;
}

/** FieldsField is the Fields picker with its loading and error states. */
export function FieldsField({ state, entityId, entityType, value, onChange }: FieldsFieldProps) {
  const waiting = !entityId;
  return (
    <EditorField
      label={selectors.query.fields.label}
      htmlFor={selectors.query.fields.id}
      invalid={!!state.error}
      error={state.error && `Could not load the ${entityType}'s fields: ${state.error}`}
      tooltip="Only the fields this entity reports (its dataavailable), grouped by source."
    >
      <FieldPicker
        id={selectors.query.fields.id}
        fields={state.value ?? []}
        value={value}
        loading={state.loading}
        placeholder={waiting ? `Choose a ${entityType} first` : 'Choose fields'}
        onChange={onChange}
      />
    </EditorField>
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
  const notices = [...new Set(entities.flatMap((e) => e.notices ?? []))];
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
