import { getTemplateSrv } from '@grafana/runtime';
import { EditorFieldGroup, EditorRow, EditorRows } from '@grafana/plugin-ui';
import React, { useMemo, useState } from 'react';

import { firstId } from '../../interpolate';
import { GENERIC_DEFAULT_NAME, defaultSeriesName } from '../../seriesName';
import { useResource } from '../hooks';
import { ComponentField } from '../pickers/ComponentField';
import { useComponentTree } from '../pickers/ComponentPicker';
import { selectedFieldInfos } from '../pickers/fieldOptions';
import { SiteField } from '../pickers/SiteField';
import { AliasField, QueryOptionsRow } from '../QueryOptions';
import { FieldsField, useEntityNames } from './TimeSeriesEditor';
import { TypedEditorProps } from './types';

/**
 * LatestEditor edits a latest-value query: a component (browsed through a
 * site, or searched partner-wide by name or node ID) and its fields. A
 * component that arrives without its site (a switch from another query type)
 * is looked up, so its site and name show.
 */
export function LatestEditor({ datasource, query, onChange }: TypedEditorProps<'latest'>) {
  // The site only helps to browse; the latest query addresses components.
  const [siteId, setSiteId] = useState<string | undefined>();
  const componentId = firstId(query.componentId, getTemplateSrv());
  const single = !siteId && componentId && /^\d+$/.test(componentId) ? componentId : undefined;
  const owner = useResource((sig) => (single ? datasource.resources.component(single, sig) : undefined), [single]);
  const browseSite = siteId ?? (owner.value?.siteId ? String(owner.value.siteId) : undefined);
  const tree = useComponentTree(datasource, browseSite);
  const names = useEntityNames(datasource, componentId, browseSite, tree);
  const fields = useResource(
    (sig) => (componentId ? datasource.resources.fields('component', componentId, sig) : undefined),
    [componentId]
  );
  const chosen = useMemo(
    () => selectedFieldInfos(fields.value ?? [], query.fields ?? []),
    [fields.value, query.fields]
  );
  return (
    <EditorRows>
      <EditorRow>
        <EditorFieldGroup>
          <SiteField datasource={datasource} value={browseSite} onChange={setSiteId} optional />
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
            entityName={names.component}
            value={query.fields ?? []}
            onChange={(f) => onChange({ ...query, fields: f }, true)}
          />
        </EditorFieldGroup>
      </EditorRow>
      <QueryOptionsRow collapsedInfo={[`Legend: ${query.alias || 'Auto'}`]}>
        <AliasField
          key={query.alias ?? ''}
          value={query.alias}
          placeholder={chosen.length ? defaultSeriesName(chosen[0], names.site, names.component) : GENERIC_DEFAULT_NAME}
          onCommit={(alias) => onChange({ ...query, alias: alias || undefined }, true)}
        />
      </QueryOptionsRow>
    </EditorRows>
  );
}
