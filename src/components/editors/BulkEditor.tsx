import { EditorField, EditorFieldGroup, EditorRow, EditorRows } from '@grafana/plugin-ui';
import { InlineSwitch, RadioButtonGroup } from '@grafana/ui';
import React, { useMemo } from 'react';

import { BULK_KPI_FIELDS, kpiFieldInfos } from '../../kpi';
import { selectors } from '../../selectors';
import { BulkFormat } from '../../types';
import { useResource } from '../hooks';
import { ClientField } from '../pickers/ClientPicker';
import { FieldPicker } from '../pickers/FieldPicker';
import { notOffered, selectedFieldInfos } from '../pickers/fieldOptions';
import { AliasField, QueryOptionsRow } from '../QueryOptions';
import { GENERIC_DEFAULT_NAME, defaultSeriesName } from '../../seriesName';
import { TypedEditorProps } from './types';

const FORMATS: Array<{ label: string; value: BulkFormat; description: string }> = [
  {
    label: 'Table',
    value: 'table',
    description: 'One row per site and month, with name, latitude and longitude (maps, tables)',
  },
  { label: 'Time series', value: 'timeseries', description: 'One series per site and field' },
];

/** BulkEditor edits a fleet bulk query: monthly partner-wide site data. */
export function BulkEditor({ datasource, query, onChange }: TypedEditorProps<'bulk'>) {
  const fields = useResource((sig) => datasource.resources.bulkFields(sig), [datasource]);
  // The backend also computes specific yield and performance index per site and month.
  const offered = useMemo(() => {
    const raw = fields.value ?? [];
    return [...raw, ...kpiFieldInfos(raw, BULK_KPI_FIELDS)];
  }, [fields.value]);
  const update = (patch: Partial<typeof query>) => onChange({ ...query, ...patch }, true);
  const selected = query.fields ?? [];
  const missing = fields.value ? notOffered(offered, selected) : [];
  const chosen = selectedFieldInfos(offered, selected);
  const error = fields.error
    ? `Could not load the bulk fields: ${fields.error}`
    : missing.length
      ? `Not offered by fleet bulk data: ${missing.join(', ')}. Remove ${missing.length > 1 ? 'them' : 'it'}`
      : undefined;
  return (
    <EditorRows>
      <EditorRow>
        <EditorFieldGroup>
          <EditorField
            label={selectors.query.fields.label}
            htmlFor={selectors.query.fields.id}
            invalid={!!error}
            error={error}
            tooltip="Fleet bulk data is monthly, for every site of the partner, with a limited set of fields."
          >
            <FieldPicker
              id={selectors.query.fields.id}
              fields={offered}
              value={selected}
              loading={fields.loading}
              invalid={!!error}
              onChange={(f) => update({ fields: f })}
            />
          </EditorField>
          <ClientField datasource={datasource} value={query.clientId} onChange={(clientId) => update({ clientId })} />
        </EditorFieldGroup>
      </EditorRow>
      <EditorRow>
        <EditorFieldGroup>
          <EditorField label={selectors.query.bulkFormat.label}>
            <div data-testid={selectors.query.bulkFormat.testId}>
              <RadioButtonGroup<BulkFormat>
                options={FORMATS}
                value={query.format ?? 'table'}
                onChange={(format) => update({ format })}
              />
            </div>
          </EditorField>
          <EditorField
            label={selectors.query.latestMonthOnly.label}
            htmlFor={selectors.query.latestMonthOnly.id}
            tooltip="Keep only the newest month of the range: one value per site, for maps and stat tables."
          >
            <InlineSwitch
              id={selectors.query.latestMonthOnly.id}
              value={!!query.latestMonthOnly}
              onChange={(e) => update({ latestMonthOnly: e.currentTarget.checked || undefined })}
            />
          </EditorField>
        </EditorFieldGroup>
      </EditorRow>
      {query.format === 'timeseries' && (
        <QueryOptionsRow collapsedInfo={[`Legend: ${query.alias || 'Auto'}`]}>
          <AliasField
            key={query.alias ?? ''}
            value={query.alias}
            placeholder={chosen.length ? `Auto: <site> ${defaultSeriesName(chosen[0])}` : GENERIC_DEFAULT_NAME}
            onCommit={(alias) => update({ alias: alias || undefined })}
          />
        </QueryOptionsRow>
      )}
    </EditorRows>
  );
}
