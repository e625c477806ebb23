import { EditorField, EditorRows } from '@grafana/plugin-ui';
import { Input } from '@grafana/ui';
import React, { useState } from 'react';

import { selectors } from '../../selectors';
import { ClientField } from '../pickers/ClientPicker';
import { SiteField } from '../pickers/SiteField';
import { FieldRow, SwitchField } from '../fields';
import { TypedEditorProps, updater } from './types';

/** RankingEditor edits a fleet ranking: scope (partner, client or sites) and the per-site and daylight options. */
export function RankingEditor({ resources, query, onChange }: TypedEditorProps<'ranking'>) {
  const update = updater(query, onChange);
  const [threshold, setThreshold] = useState(query.availabilityThreshold ? String(query.availabilityThreshold) : '');
  const thresholdValue = Number(threshold);
  const thresholdInvalid =
    threshold !== '' && (!Number.isFinite(thresholdValue) || thresholdValue < 0 || thresholdValue > 1500);
  return (
    <EditorRows>
      <FieldRow>
        <ClientField resources={resources} value={query.clientId} onChange={(clientId) => update({ clientId })} />
        <SiteField
          resources={resources}
          clientId={query.clientId}
          value={query.siteId}
          onChange={(siteId) => update({ siteId })}
          optional
          tooltip="Rank only these sites (e.g. a multi-value site variable); empty ranks every site in scope."
        />
      </FieldRow>
      <FieldRow>
        <SwitchField
          selector={selectors.query.perSite}
          tooltip="Whole months use partner bulk data (a few requests for the whole fleet), which has no plane-of-array insolation: PR and availability stay empty. Per-site asks each site's hourly data: one request per site and 31 days."
          value={!!query.perSite}
          onChange={(on) => update({ perSite: on || undefined })}
        />
        <EditorField
          label={selectors.query.availabilityThreshold.label}
          htmlFor={selectors.query.availabilityThreshold.id}
          optional
          invalid={thresholdInvalid}
          error="Give an irradiance between 0 and 1500 W/m²"
          tooltip="An hour counts as daylight for availability when its modelled plane-of-array irradiance reaches this value (default 50 W/m²)."
        >
          <Input
            id={selectors.query.availabilityThreshold.id}
            width={12}
            placeholder="50"
            value={threshold}
            onChange={(e) => setThreshold(e.currentTarget.value)}
            onBlur={() => {
              if (!thresholdInvalid) {
                update({ availabilityThreshold: threshold === '' ? undefined : thresholdValue });
              }
            }}
          />
        </EditorField>
      </FieldRow>
    </EditorRows>
  );
}
