import { EditorRows } from '@grafana/plugin-ui';
import React, { useMemo } from 'react';

import { BULK_KPI_FIELDS, kpiFieldInfos } from '../../kpi';
import { selectors } from '../../selectors';
import { BulkFormat } from '../../types';
import { useResource } from '../hooks';
import { ClientField } from '../pickers/ClientPicker';
import { FieldPicker } from '../pickers/FieldPicker';
import { notOffered, selectedFieldInfos } from '../pickers/fieldOptions';
import { AliasField, QueryOptionsRow } from '../QueryOptions';
import { FieldRow, RadioField, SwitchField } from '../fields';
import { GENERIC_DEFAULT_NAME, defaultSeriesName } from '../../seriesName';
import { TypedEditorProps, updater } from './types';

const FORMATS: Array<{ label: string; value: BulkFormat; description: string }> = [
  {
    label: 'Table',
    value: 'table',
    description: 'One row per site and month, with name, latitude and longitude (maps, tables)',
  },
  { label: 'Time series', value: 'timeseries', description: 'One series per site and field' },
];

/** BulkEditor edits a fleet bulk query: monthly partner-wide site data. */
export function BulkEditor({ resources, query, onChange }: TypedEditorProps<'bulk'>) {
  const fields = useResource((sig) => resources.bulkFields(sig), [resources]);
  // The backend also computes specific yield and performance index per site and month.
  const offered = useMemo(() => {
    const raw = fields.value ?? [];
    return [...raw, ...kpiFieldInfos(raw, BULK_KPI_FIELDS)];
  }, [fields.value]);
  const update = updater(query, onChange);
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
      <FieldRow>
        <FieldPicker
          fields={offered}
          value={selected}
          loading={fields.loading}
          error={error}
          tooltip="Fleet bulk data is monthly, for every site of the partner, with a limited set of fields."
          onChange={(f) => update({ fields: f })}
        />
        <ClientField resources={resources} value={query.clientId} onChange={(clientId) => update({ clientId })} />
      </FieldRow>
      <FieldRow>
        <RadioField<BulkFormat>
          selector={selectors.query.bulkFormat}
          options={FORMATS}
          value={query.format ?? 'table'}
          onChange={(format) => update({ format })}
        />
        <SwitchField
          selector={selectors.query.latestMonthOnly}
          tooltip="Keep only the newest month of the range: one value per site, for maps and stat tables."
          value={!!query.latestMonthOnly}
          onChange={(on) => update({ latestMonthOnly: on || undefined })}
        />
      </FieldRow>
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
