import { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { ConfigSection } from '@grafana/plugin-ui';
import { Field, SecretInput } from '@grafana/ui';
import React, { useState } from 'react';

import { selectors } from '../selectors';
import { LocusDataSourceOptions, LocusSecureJsonData } from '../types';
import {
  MAX_SHARED_LEASE_SECONDS,
  MIN_SHARED_LEASE_SECONDS,
  parseWhole,
  validateLeaseSeconds,
  validateSharedStateUrl,
} from './configValidation';
import { SettingInput } from './fields';

type Props = DataSourcePluginOptionsEditorProps<LocusDataSourceOptions, LocusSecureJsonData>;

/**
 * SharedStateSection edits the optional Redis shared state that several
 * Grafana replicas use to share the account's request limit, the response
 * cache and single-flight (docs/high-availability.md).
 */
export function SharedStateSection({ options, onOptionsChange }: Props) {
  const { jsonData, secureJsonFields } = options;
  const secure = options.secureJsonData ?? {};
  const [lease, setLease] = useState(() =>
    jsonData.sharedStateLeaseSeconds ? String(jsonData.sharedStateLeaseSeconds) : ''
  );
  const url = jsonData.sharedStateUrl ?? '';
  const urlError = validateSharedStateUrl(url);
  const leaseError = validateLeaseSeconds(lease);
  const setJson = (patch: Partial<LocusDataSourceOptions>) =>
    onOptionsChange({ ...options, jsonData: { ...jsonData, ...patch } });
  const s = selectors.config;
  return (
    <ConfigSection
      title="Several Grafana replicas"
      description="Grafana in high availability: share the account's one-request limit, the cache and identical requests between replicas through Redis."
      isCollapsible
      isInitiallyOpen={!!url}
    >
      <SettingInput
        selector={s.sharedStateUrl}
        description="redis://host:6379/0, or rediss:// for TLS. Empty: each replica keeps its own queue and cache (fine for one Grafana server). If Redis becomes unreachable, replicas fall back to their own queue and cache until it answers again."
        error={urlError}
        width={60}
        placeholder="redis://redis:6379/0"
        value={url}
        onChange={(text) => setJson({ sharedStateUrl: text.trim() })}
      />
      <Field label={s.sharedStatePassword.label} description="Redis password (AUTH), if your Redis requires one.">
        <SecretInput
          id={s.sharedStatePassword.id}
          width={60}
          isConfigured={!!secureJsonFields?.sharedStatePassword}
          value={secure.sharedStatePassword ?? ''}
          onChange={(e) =>
            onOptionsChange({ ...options, secureJsonData: { ...secure, sharedStatePassword: e.currentTarget.value } })
          }
          onReset={() =>
            onOptionsChange({
              ...options,
              secureJsonFields: { ...secureJsonFields, sharedStatePassword: false },
              secureJsonData: { ...secure, sharedStatePassword: '' },
            })
          }
        />
      </Field>
      <SettingInput
        selector={s.sharedStateLease}
        description={`How long a replica that crashed mid-request can hold the account's request slot: ${MIN_SHARED_LEASE_SECONDS} to ${MAX_SHARED_LEASE_SECONDS} seconds; empty uses 15.`}
        error={leaseError}
        width={20}
        inputMode="numeric"
        placeholder="15"
        value={lease}
        onChange={(text) => {
          setLease(text);
          setJson({ sharedStateLeaseSeconds: parseWhole(text) });
        }}
      />
    </ConfigSection>
  );
}
