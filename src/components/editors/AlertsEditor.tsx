import { EditorRows } from '@grafana/plugin-ui';
import React from 'react';

import { selectors } from '../../selectors';
import { AlertScope, AlertStatus } from '../../types';
import { ComponentField, useComponentTree } from '../pickers/ComponentField';
import { SiteField } from '../pickers/SiteField';
import { FieldRow, MultiSelectField, RadioField } from '../fields';
import { TypedEditorProps, updater } from './types';

/** ALERT_TYPES are the Locus alert types (the API may add more; custom values are accepted). */
export const ALERT_TYPES = [
  'System Disconnect',
  'Zero Generation',
  'Performance Index',
  'Performance Yield',
  'Strings Performance',
  'Device Fault',
];

/** PRIORITIES are the Locus alert priorities. */
export const PRIORITIES = ['High', 'Medium', 'Low'];

const SCOPES: Array<{ label: string; value: AlertScope; description: string }> = [
  { label: 'Partner', value: 'partner', description: 'Every alert of the fleet' },
  { label: 'Site', value: 'site', description: 'Alerts of one or more sites' },
  { label: 'Component', value: 'component', description: 'Alerts of one or more components' },
];

const STATUSES: Array<{ label: string; value: AlertStatus }> = [
  { label: 'Any', value: '' },
  { label: 'Open', value: 'open' },
  { label: 'Closed', value: 'closed' },
];

/** AlertsEditor edits an alerts query (also the annotation editor): scope and filters. */
export function AlertsEditor({ resources, query, onChange }: TypedEditorProps<'alerts'>) {
  const scope = query.scope ?? 'partner';
  const tree = useComponentTree(resources, scope === 'component' ? query.siteId : undefined);
  const update = updater(query, onChange);
  return (
    <EditorRows>
      <FieldRow>
        <RadioField<AlertScope>
          selector={selectors.query.alertScope}
          options={SCOPES}
          value={scope}
          onChange={(s) =>
            update({
              scope: s,
              siteId: s === 'partner' ? undefined : query.siteId,
              componentId: s === 'component' ? query.componentId : undefined,
            })
          }
        />
        {scope !== 'partner' && (
          <SiteField
            resources={resources}
            value={query.siteId}
            onChange={(siteId) => update({ siteId })}
            optional={scope === 'component'}
          />
        )}
        {scope === 'component' && (
          <ComponentField
            resources={resources}
            tree={tree}
            value={query.componentId}
            onChange={(componentId) => update({ componentId })}
          />
        )}
      </FieldRow>
      <FieldRow>
        <MultiSelectField
          selector={selectors.query.alertTypes}
          optional
          width={50}
          placeholder="All types"
          options={withCustom(ALERT_TYPES, query.alertTypes)}
          value={query.alertTypes}
          createCustomValue
          onChange={(alertTypes) => update({ alertTypes })}
        />
        <MultiSelectField
          selector={selectors.query.priorities}
          optional
          width={30}
          placeholder="All priorities"
          options={PRIORITIES}
          value={query.priorities}
          onChange={(priorities) => update({ priorities })}
        />
        <RadioField<AlertStatus>
          selector={selectors.query.alertStatus}
          options={STATUSES}
          value={(query.status ?? '') as AlertStatus}
          onChange={(status) => update({ status })}
        />
      </FieldRow>
    </EditorRows>
  );
}

/** withCustom adds the chosen values the known list lacks (custom alert types). */
function withCustom(known: string[], selected: string[] | undefined): string[] {
  return [...known, ...(selected ?? []).filter((s) => !known.includes(s))];
}
