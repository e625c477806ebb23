import { getTemplateSrv } from '@grafana/runtime';
import { EditorField, EditorFieldGroup, EditorRow, EditorRows } from '@grafana/plugin-ui';
import React, { useState } from 'react';

import { firstId } from '../../interpolate';
import { selectors } from '../../selectors';
import { useResource } from '../hooks';
import { ComponentField } from '../pickers/ComponentField';
import { useComponentTree } from '../pickers/ComponentPicker';
import { SitePicker } from '../pickers/SitePicker';
import { FieldsField } from './TimeSeriesEditor';
import { TypedEditorProps } from './types';

/**
 * LatestEditor edits a latest-value query: a component (browsed through a
 * site, or searched partner-wide by node ID) and its fields.
 */
export function LatestEditor({ datasource, query, onChange }: TypedEditorProps<'latest'>) {
  // The site only helps to browse; the latest query addresses components.
  const [siteId, setSiteId] = useState<string | undefined>();
  const tree = useComponentTree(datasource, siteId);
  const componentId = firstId(query.componentId, getTemplateSrv());
  const fields = useResource(
    (sig) => (componentId ? datasource.resources.fields('component', componentId, sig) : undefined),
    [componentId]
  );
  return (
    <EditorRows>
      <EditorRow>
        <EditorFieldGroup>
          <EditorField label={selectors.query.site.label} htmlFor={selectors.query.site.id} optional>
            <SitePicker datasource={datasource} id={selectors.query.site.id} value={siteId} onChange={setSiteId} />
          </EditorField>
          <ComponentField
            datasource={datasource}
            tree={tree}
            value={query.componentId || undefined}
            onChange={(v) => onChange({ ...query, componentId: v ?? '' }, true)}
          />
          <FieldsField
            state={fields}
            entityId={componentId}
            entityType="component"
            value={query.fields ?? []}
            onChange={(f) => onChange({ ...query, fields: f }, true)}
          />
        </EditorFieldGroup>
      </EditorRow>
    </EditorRows>
  );
}
