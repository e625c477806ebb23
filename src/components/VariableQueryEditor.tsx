import { QueryEditorProps } from '@grafana/data';
import { EditorField, EditorRows } from '@grafana/plugin-ui';
import { ComboboxOption, Input, Text } from '@grafana/ui';
import { getTemplateSrv } from '@grafana/runtime';
import React, { useState } from 'react';

import { WORST_SITES_DEFAULT, WORST_SITES_MAX } from '../defaults';
import { selectors } from '../selectors';
import { LocusDataSourceOptions, LocusQuery, LocusVariableQuery, VariableKind } from '../types';
import { variableValues } from '../variables';
import { useResource } from './hooks';
import { LocusDataSourceApi } from './editors/types';
import { FieldRow, SelectField } from './fields';
import { ScopeFields } from './pickers/ScopeFields';

/** VARIABLE_KINDS are what a variable can list. */
export const VARIABLE_KINDS: Array<ComboboxOption<VariableKind>> = [
  { value: 'clients', label: 'Clients', description: "The partner's clients" },
  { value: 'sites', label: 'Sites', description: 'Sites, optionally of one client' },
  { value: 'components', label: 'Components', description: "A site's components, optionally of one node type" },
  { value: 'fields', label: 'Fields', description: 'The data fields of a site or component' },
  {
    value: 'worstSites',
    label: 'Worst sites',
    description: "The fleet ranking's worst sites by performance index over the dashboard's range",
  },
];

const PREVIEW_COUNT = 8;

type Props = QueryEditorProps<LocusDataSourceApi, LocusQuery, LocusDataSourceOptions, LocusVariableQuery>;

/** VariableQueryEditor edits a template variable: clients, sites, components or fields (text = name, value = id). */
export function VariableQueryEditor({ datasource, query: raw, onChange, range }: Props) {
  const { resources } = datasource;
  const query: LocusVariableQuery = { ...raw, refId: raw?.refId ?? 'LocusVariable', kind: raw?.kind ?? 'sites' };
  const kind = query.kind;
  const update = (patch: Partial<LocusVariableQuery>) => onChange({ ...query, ...patch });

  // A worstSites preview ranks over the editor's range (the dashboard's), else the last 7 days.
  const span = range ? { from: range.from.valueOf(), to: range.to.valueOf() } : undefined;
  const key = JSON.stringify([
    kind,
    query.clientId,
    query.siteId,
    query.componentId,
    query.nodeType,
    query.search,
    query.limit,
    kind === 'worstSites' ? span : undefined,
  ]);
  const preview = useResource((sig) => variableValues(resources, query, getTemplateSrv(), {}, sig, span), [key]);

  return (
    <div data-testid={selectors.variable.editor}>
      <EditorRows>
        <FieldRow>
          <SelectField<VariableKind>
            selector={selectors.variable.kind}
            width={20}
            options={VARIABLE_KINDS}
            value={kind}
            onChange={(k) => onChange({ refId: query.refId, kind: k })}
          />
          <ScopeFields
            resources={resources}
            kind={kind}
            scope={query}
            // A new site drops the component of the old one.
            onChange={(patch) => update('siteId' in patch ? { ...patch, componentId: undefined } : patch)}
          />
          {kind === 'sites' && (
            <EditorField label={selectors.variable.search.label} htmlFor={selectors.variable.search.id} optional>
              <SearchInput
                key={query.search ?? ''}
                value={query.search}
                onCommit={(v) => update({ search: v || undefined })}
              />
            </EditorField>
          )}
          {kind === 'worstSites' && (
            <EditorField
              label={selectors.variable.limit.label}
              htmlFor={selectors.variable.limit.id}
              tooltip={`How many sites to list, worst performance index first (1 to ${WORST_SITES_MAX}, default ${WORST_SITES_DEFAULT}); the list says when the fleet has more.`}
            >
              <LimitInput key={String(query.limit ?? '')} value={query.limit} onCommit={(limit) => update({ limit })} />
            </EditorField>
          )}
        </FieldRow>
        <div data-testid={selectors.variable.preview}>
          <Text color={preview.error ? 'error' : 'secondary'} variant="bodySmall">
            {previewText(preview.value, preview.loading, preview.error, query)}
          </Text>
        </div>
      </EditorRows>
    </div>
  );
}

/** previewText says what the variable lists, or why it lists nothing and what to do. */
function previewText(
  values: Array<{ text: string }> | undefined,
  loading: boolean,
  error: string | undefined,
  query: LocusVariableQuery
): string {
  if (query.kind === 'components' && !query.siteId) {
    return 'Choose a site to list its components.';
  }
  if (query.kind === 'fields' && !query.siteId && !query.componentId) {
    return 'Choose a site (or a component) to list its fields.';
  }
  if (error) {
    return `Could not list values: ${error}`;
  }
  if (loading && !values) {
    return 'Loading values…';
  }
  if (!values) {
    return '';
  }
  if (!values.length) {
    return noValuesText(query);
  }
  const head = values
    .slice(0, PREVIEW_COUNT)
    .map((v) => v.text)
    .join(', ');
  const more = values.length > PREVIEW_COUNT ? `, … (${values.length - PREVIEW_COUNT} more)` : '';
  return `${values.length} value${values.length === 1 ? '' : 's'}: ${head}${more}`;
}

/** SearchInput commits the site name filter on blur (keyed by the stored value). */
function SearchInput({ value, onCommit }: { value?: string; onCommit: (v: string) => void }) {
  const [text, setText] = useState(value ?? '');
  return (
    <Input
      id={selectors.variable.search.id}
      width={24}
      value={text}
      placeholder="name, city, state or id"
      onChange={(e) => setText(e.currentTarget.value)}
      onBlur={() => text !== (value ?? '') && onCommit(text)}
    />
  );
}

/** LimitInput edits a worstSites limit, committed on blur; an empty or invalid entry means the default. */
function LimitInput({ value, onCommit }: { value?: number; onCommit: (v: number | undefined) => void }) {
  const [text, setText] = useState(value === undefined ? '' : String(value));
  const n = Number(text);
  const valid = text.trim() === '' || (Number.isInteger(n) && n >= 1 && n <= WORST_SITES_MAX);
  return (
    <Input
      id={selectors.variable.limit.id}
      width={12}
      type="number"
      min={1}
      max={WORST_SITES_MAX}
      value={text}
      invalid={!valid}
      placeholder={String(WORST_SITES_DEFAULT)}
      onChange={(e) => setText(e.currentTarget.value)}
      onBlur={() => {
        const next = text.trim() === '' || !valid ? undefined : n;
        if (next !== value) {
          onCommit(next);
        }
      }}
    />
  );
}

/** noValuesText explains an empty list by what narrowed it. */
function noValuesText(query: LocusVariableQuery): string {
  switch (query.kind) {
    case 'clients':
      return 'No values: this partner has no clients.';
    case 'sites':
      return query.search || query.clientId
        ? 'No values: no site matches this client and name filter. Clear or change them.'
        : 'No values: this partner has no sites.';
    case 'components':
      return query.nodeType
        ? 'No values: this site has no component of this node type. Choose another node type or clear it.'
        : 'No values: this site has no components.';
    case 'fields':
      return `No values: this ${query.componentId ? 'component' : 'site'} reports no data fields (its dataavailable list is empty).`;
    case 'worstSites':
      return 'No values: no site has a performance index over the range (measured and modelled energy). Widen the range or change the client.';
  }
  return 'No values.';
}
