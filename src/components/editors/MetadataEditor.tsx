import { EditorRows } from '@grafana/plugin-ui';
import { ComboboxOption } from '@grafana/ui';
import React from 'react';

import { selectors } from '../../selectors';
import { MetadataKind } from '../../types';
import { ScopeFields } from '../pickers/ScopeFields';
import { FieldRow, SelectField } from '../fields';
import { TypedEditorProps, updater } from './types';

/** METADATA_KINDS are the metadata tables, with what each needs. */
export const METADATA_KINDS: Array<ComboboxOption<MetadataKind>> = [
  { value: 'clients', label: 'Clients', description: "The partner's clients (projects)" },
  { value: 'sites', label: 'Sites', description: 'Sites with location and time zone, optionally of one client' },
  { value: 'components', label: 'Components', description: "A site's components with node type, OEM and model" },
  { value: 'installinfo', label: 'Install info', description: "A site's installer and install, PTO and startup dates" },
  { value: 'modelsettings', label: 'Model settings', description: "A site's PV model parameters" },
  { value: 'fields', label: 'Fields', description: 'The data fields a site or component offers' },
];

/** MetadataEditor edits a metadata table query: kind and scope. */
export function MetadataEditor({ resources, query, onChange }: TypedEditorProps<'metadata'>) {
  const kind = query.kind ?? 'sites';
  const update = updater(query, onChange);
  return (
    <EditorRows>
      <FieldRow>
        <SelectField<MetadataKind>
          selector={selectors.query.metadataKind}
          width={24}
          options={METADATA_KINDS}
          value={kind}
          onChange={(k) => update({ kind: k })}
        />
        <ScopeFields
          resources={resources}
          kind={kind}
          scope={query}
          onChange={update}
          componentTooltip="Fields of this component instead of the site"
        />
      </FieldRow>
    </EditorRows>
  );
}
