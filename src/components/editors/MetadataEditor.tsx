import { EditorField, EditorFieldGroup, EditorRow, EditorRows } from '@grafana/plugin-ui';
import { Combobox, ComboboxOption } from '@grafana/ui';
import React from 'react';

import { selectors } from '../../selectors';
import { MetadataKind } from '../../types';
import { ClientField } from '../pickers/ClientPicker';
import { ComponentField } from '../pickers/ComponentField';
import { useComponentTree } from '../pickers/ComponentPicker';
import { NodeTypePicker } from '../pickers/NodeTypePicker';
import { SiteField } from '../pickers/SiteField';
import { TypedEditorProps } from './types';

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
export function MetadataEditor({ datasource, query, onChange }: TypedEditorProps<'metadata'>) {
  const kind = query.kind ?? 'sites';
  const needsSite = kind === 'components' || kind === 'installinfo' || kind === 'modelsettings' || kind === 'fields';
  const tree = useComponentTree(datasource, kind === 'components' || kind === 'fields' ? query.siteId : undefined);
  const update = (patch: Partial<typeof query>) => onChange({ ...query, ...patch }, true);
  return (
    <EditorRows>
      <EditorRow>
        <EditorFieldGroup>
          <EditorField label={selectors.query.metadataKind.label} htmlFor={selectors.query.metadataKind.id}>
            <Combobox<MetadataKind>
              id={selectors.query.metadataKind.id}
              data-testid={selectors.query.metadataKind.id}
              width={24}
              options={METADATA_KINDS}
              value={kind}
              onChange={(o) => update({ kind: o.value })}
            />
          </EditorField>
          {kind === 'sites' && (
            <ClientField datasource={datasource} value={query.clientId} onChange={(clientId) => update({ clientId })} />
          )}
          {needsSite && (
            <SiteField
              datasource={datasource}
              value={query.siteId}
              onChange={(siteId) => update({ siteId })}
              optional={kind === 'fields'}
            />
          )}
          {kind === 'fields' && (
            <ComponentField
              datasource={datasource}
              tree={tree}
              value={query.componentId}
              onChange={(componentId) => update({ componentId })}
              optional
              tooltip="Fields of this component instead of the site"
            />
          )}
          {kind === 'components' && (
            <EditorField label={selectors.query.nodeType.label} htmlFor={selectors.query.nodeType.id} optional>
              <NodeTypePicker
                id={selectors.query.nodeType.id}
                components={tree.components}
                value={query.nodeType}
                onChange={(nodeType) => update({ nodeType })}
              />
            </EditorField>
          )}
        </EditorFieldGroup>
      </EditorRow>
    </EditorRows>
  );
}
