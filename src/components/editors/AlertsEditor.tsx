import { EditorField, EditorFieldGroup, EditorRow, EditorRows } from '@grafana/plugin-ui';
import { MultiCombobox, RadioButtonGroup } from '@grafana/ui';
import React from 'react';

import { selectors } from '../../selectors';
import { AlertScope, AlertStatus } from '../../types';
import { ComponentField } from '../pickers/ComponentField';
import { useComponentTree } from '../pickers/ComponentPicker';
import { SiteField } from '../pickers/SiteField';
import { TypedEditorProps } from './types';

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
export function AlertsEditor({ datasource, query, onChange }: TypedEditorProps<'alerts'>) {
  const scope = query.scope ?? 'partner';
  const tree = useComponentTree(datasource, scope === 'component' ? query.siteId : undefined);
  const update = (patch: Partial<typeof query>) => onChange({ ...query, ...patch }, true);
  const listValue = (v: string[] | undefined) => (v && v.length ? v : undefined);
  return (
    <EditorRows>
      <EditorRow>
        <EditorFieldGroup>
          <EditorField label={selectors.query.alertScope.label}>
            <div data-testid={selectors.query.alertScope.testId}>
              <RadioButtonGroup<AlertScope>
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
            </div>
          </EditorField>
          {scope !== 'partner' && (
            <SiteField
              datasource={datasource}
              value={query.siteId}
              onChange={(siteId) => update({ siteId })}
              optional={scope === 'component'}
            />
          )}
          {scope === 'component' && (
            <ComponentField
              datasource={datasource}
              tree={tree}
              value={query.componentId}
              onChange={(componentId) => update({ componentId })}
            />
          )}
        </EditorFieldGroup>
      </EditorRow>
      <EditorRow>
        <EditorFieldGroup>
          <EditorField label={selectors.query.alertTypes.label} htmlFor={selectors.query.alertTypes.id} optional>
            <MultiCombobox<string>
              id={selectors.query.alertTypes.id}
              data-testid={selectors.query.alertTypes.id}
              width={50}
              placeholder="All types"
              options={withCustom(ALERT_TYPES, query.alertTypes)}
              value={query.alertTypes ?? []}
              createCustomValue
              isClearable
              onChange={(o) => update({ alertTypes: listValue(o.map((x) => x.value)) })}
            />
          </EditorField>
          <EditorField label={selectors.query.priorities.label} htmlFor={selectors.query.priorities.id} optional>
            <MultiCombobox<string>
              id={selectors.query.priorities.id}
              data-testid={selectors.query.priorities.id}
              width={30}
              placeholder="All priorities"
              options={PRIORITIES.map((p) => ({ value: p, label: p }))}
              value={query.priorities ?? []}
              isClearable
              onChange={(o) => update({ priorities: listValue(o.map((x) => x.value)) })}
            />
          </EditorField>
          <EditorField label={selectors.query.alertStatus.label}>
            <div data-testid={selectors.query.alertStatus.testId}>
              <RadioButtonGroup<AlertStatus>
                options={STATUSES}
                value={(query.status ?? '') as AlertStatus}
                onChange={(status) => update({ status })}
              />
            </div>
          </EditorField>
        </EditorFieldGroup>
      </EditorRow>
    </EditorRows>
  );
}

function withCustom(known: string[], selected: string[] | undefined) {
  const extra = (selected ?? []).filter((s) => !known.includes(s));
  return [...known, ...extra].map((v) => ({ value: v, label: v }));
}
