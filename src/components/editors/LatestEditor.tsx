import { getTemplateSrv } from '@grafana/runtime';
import { EditorRows } from '@grafana/plugin-ui';
import React, { useMemo, useState } from 'react';

import { firstId } from '../../interpolate';
import { GENERIC_DEFAULT_NAME, defaultSeriesName } from '../../seriesName';
import { useResource } from '../hooks';
import { ComponentField, useComponentTree } from '../pickers/ComponentField';
import { selectedFieldInfos } from '../pickers/fieldOptions';
import { SiteField } from '../pickers/SiteField';
import { AliasField, QueryOptionsRow } from '../QueryOptions';
import { FieldsField, useEntityNames } from './TimeSeriesEditor';
import { TypedEditorProps, updater } from './types';
import { FieldRow } from '../fields';

/**
 * LatestEditor edits a latest-value query: a component (browsed through a
 * site, or searched partner-wide by name or node ID) and its fields. A
 * component that arrives without its site (a switch from another query type)
 * is looked up, so its site and name show.
 */
export function LatestEditor({ resources, query, onChange }: TypedEditorProps<'latest'>) {
  // The site only helps to browse; the latest query addresses components.
  const [siteId, setSiteId] = useState<string | undefined>();
  const update = updater(query, onChange);
  const componentId = firstId(query.componentId, getTemplateSrv());
  const single = !siteId && componentId && /^\d+$/.test(componentId) ? componentId : undefined;
  const owner = useResource((sig) => (single ? resources.component(single, sig) : undefined), [single]);
  const browseSite = siteId ?? (owner.value?.siteId ? String(owner.value.siteId) : undefined);
  const tree = useComponentTree(resources, browseSite);
  const names = useEntityNames(resources, componentId, browseSite, tree);
  const fields = useResource(
    (sig) => (componentId ? resources.fields('component', componentId, sig) : undefined),
    [componentId]
  );
  const chosen = useMemo(
    () => selectedFieldInfos(fields.value ?? [], query.fields ?? []),
    [fields.value, query.fields]
  );
  return (
    <EditorRows>
      <FieldRow>
        <SiteField resources={resources} value={browseSite} onChange={setSiteId} optional />
        <ComponentField
          resources={resources}
          tree={tree}
          value={query.componentId || undefined}
          onChange={(v) => update({ componentId: v ?? '' })}
        />
        <FieldsField
          state={fields}
          entityId={componentId}
          entityType="component"
          entityName={names.component}
          value={query.fields ?? []}
          onChange={(f) => update({ fields: f })}
        />
      </FieldRow>
      <QueryOptionsRow collapsedInfo={[`Legend: ${query.alias || 'Auto'}`]}>
        <AliasField
          key={query.alias ?? ''}
          value={query.alias}
          placeholder={chosen.length ? defaultSeriesName(chosen[0], names.site, names.component) : GENERIC_DEFAULT_NAME}
          onCommit={(alias) => update({ alias: alias || undefined })}
        />
      </QueryOptionsRow>
    </EditorRows>
  );
}
