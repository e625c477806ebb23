import { getTemplateSrv } from '@grafana/runtime';
import { EditorFieldGroup, EditorRow, EditorRows } from '@grafana/plugin-ui';
import React, { useState } from 'react';

import { firstId } from '../../interpolate';
import { useResource } from '../hooks';
import { ComponentField } from '../pickers/ComponentField';
import { useComponentTree } from '../pickers/ComponentPicker';
import { SiteField } from '../pickers/SiteField';
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
          <SiteField datasource={datasource} value={siteId} onChange={setSiteId} optional />
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
