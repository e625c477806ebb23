import { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { ConfigSection, DataSourceDescription } from '@grafana/plugin-ui';
import { Alert, Divider, Field, SecretInput, Stack, Switch } from '@grafana/ui';
import React, { useState } from 'react';

import { selectors } from '../selectors';
import { AuthType, LocusDataSourceOptions, LocusSecureJsonData } from '../types';
import {
  DEFAULT_BASE_URL,
  MAX_CACHE_SECONDS,
  MAX_CONCURRENT_LIMIT,
  parseWhole,
  validateBaseUrl,
  validateCacheSeconds,
  validateMaxConcurrent,
  validatePartnerId,
  validateRequired,
} from './configValidation';
import { RadioGroup, SettingInput } from './fields';
import { SharedStateSection } from './SharedStateSection';

type Props = DataSourcePluginOptionsEditorProps<LocusDataSourceOptions, LocusSecureJsonData>;
type NumberKey =
  'partnerId' | 'maxConcurrentRequests' | 'metadataCacheSeconds' | 'pastDataCacheSeconds' | 'recentDataCacheSeconds';
type SecretKey = keyof LocusSecureJsonData;

const AUTH_TYPES: Array<{ label: string; value: AuthType; description: string }> = [
  {
    label: 'Password',
    value: 'password',
    description: 'OAuth password grant: API client ID and secret plus your SolarNOC username and password',
  },
  {
    label: 'Client credentials',
    value: 'client_credentials',
    description: 'OAuth client credentials grant: API client ID and secret only',
  },
];

const LABEL_WIDTH = 60;

/** ConfigEditor edits the connection, credentials, limits and demo mode of a Locus data source. */
export function ConfigEditor({ options, onOptionsChange }: Props) {
  const { jsonData, secureJsonFields } = options;
  const secure = options.secureJsonData ?? {};
  const demo = !!jsonData.demoMode;
  const authType: AuthType = jsonData.authType ?? 'password';

  // Numbers are edited as text so an invalid entry stays visible with its message.
  const [numbers, setNumbers] = useState<Record<NumberKey, string>>(() => ({
    partnerId: toText(jsonData.partnerId),
    maxConcurrentRequests: toText(jsonData.maxConcurrentRequests),
    metadataCacheSeconds: toText(jsonData.metadataCacheSeconds),
    pastDataCacheSeconds: toText(jsonData.pastDataCacheSeconds),
    recentDataCacheSeconds: toText(jsonData.recentDataCacheSeconds),
  }));
  // Required-but-empty messages wait until the field was visited; wrong values show at once.
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const touch = (key: string) => () => setTouched((t) => ({ ...t, [key]: true }));

  const setJson = (patch: Partial<LocusDataSourceOptions>) =>
    onOptionsChange({ ...options, jsonData: { ...jsonData, ...patch } });
  const setNumber = (key: NumberKey, text: string) => {
    setNumbers((n) => ({ ...n, [key]: text }));
    setJson({ [key]: parseWhole(text) });
  };
  const setSecret = (key: SecretKey, value: string) =>
    onOptionsChange({ ...options, secureJsonData: { ...secure, [key]: value } });
  const resetSecret = (key: SecretKey) =>
    onOptionsChange({
      ...options,
      secureJsonFields: { ...secureJsonFields, [key]: false },
      secureJsonData: { ...secure, [key]: '' },
    });
  const secretSet = (key: SecretKey) => !!secureJsonFields?.[key] || !!secure[key];

  const shown = (key: string, value: string | undefined, message: string | undefined) =>
    message && (touched[key] || (value ?? '').trim() !== '') ? message : undefined;
  const errors = {
    baseUrl: demo ? undefined : validateBaseUrl(jsonData.baseUrl ?? ''),
    partnerId: demo ? undefined : shown('partnerId', numbers.partnerId, validatePartnerId(numbers.partnerId)),
    username:
      demo || authType !== 'password'
        ? undefined
        : shown(
            'username',
            jsonData.username,
            validateRequired(jsonData.username, 'Username', 'enter your SolarNOC username')
          ),
    password:
      demo || authType !== 'password' || secretSet('password')
        ? undefined
        : touched.password
          ? 'Password is required for the password grant: enter your SolarNOC password'
          : undefined,
    clientId: demo
      ? undefined
      : shown(
          'clientId',
          jsonData.clientId,
          validateRequired(jsonData.clientId, 'Client ID', 'enter the API client ID Locus issued to you')
        ),
    clientSecret:
      demo || secretSet('clientSecret')
        ? undefined
        : touched.clientSecret
          ? 'Client secret is required: enter the API client secret Locus issued to you'
          : undefined,
    maxConcurrentRequests: validateMaxConcurrent(numbers.maxConcurrentRequests),
    metadataCacheSeconds: validateCacheSeconds(numbers.metadataCacheSeconds),
    pastDataCacheSeconds: validateCacheSeconds(numbers.pastDataCacheSeconds),
    recentDataCacheSeconds: validateCacheSeconds(numbers.recentDataCacheSeconds),
  };
  const advancedSet =
    !!numbers.maxConcurrentRequests ||
    !!numbers.metadataCacheSeconds ||
    !!numbers.pastDataCacheSeconds ||
    !!numbers.recentDataCacheSeconds;

  const s = selectors.config;
  /** credential is a required text field of jsonData (username, client ID). */
  const credential = (key: 'username' | 'clientId', sel: { label: string; id: string }) => (
    <SettingInput
      selector={sel}
      required
      error={errors[key]}
      width={LABEL_WIDTH}
      autoComplete="off"
      value={jsonData[key] ?? ''}
      onBlur={touch(key)}
      onChange={(text) => setJson({ [key]: text })}
    />
  );
  /** secret is a required secret (password, client secret): set, reset, never shown back. */
  const secret = (key: 'password' | 'clientSecret', sel: { label: string; id: string }) => (
    <Field label={sel.label} required invalid={!!errors[key]} error={errors[key]}>
      <SecretInput
        id={sel.id}
        width={LABEL_WIDTH}
        isConfigured={!!secureJsonFields?.[key]}
        value={secure[key] ?? ''}
        onBlur={touch(key)}
        onChange={(e) => setSecret(key, e.currentTarget.value)}
        onReset={() => resetSecret(key)}
      />
    </Field>
  );
  return (
    <Stack direction="column" gap={2}>
      <div data-testid={s.description}>
        <DataSourceDescription
          dataSourceName="Locus Energy"
          docsLink="https://github.com/sunfleet/locus-datasource#readme"
          hasRequiredFields={!demo}
        />
      </div>
      <Divider />
      <Field
        label={s.demoMode.label}
        description="Serve a simulated fleet from inside the plugin: no Locus account, credentials or network access needed. Turn off to connect to Locus."
      >
        <Switch id={s.demoMode.id} value={demo} onChange={(e) => setJson({ demoMode: e.currentTarget.checked })} />
      </Field>
      {demo && (
        <div data-testid={s.demoNotice}>
          <Alert severity="info" title="Demo mode is on">
            Queries are answered by the built-in Locus simulator. The connection and credential settings are hidden (and
            kept) until you turn demo mode off.
          </Alert>
        </div>
      )}
      {!demo && (
        <ConfigSection
          title="Connection"
          description="Where the Locus Energy v3 API is and which partner account to use."
        >
          <SettingInput
            selector={s.baseUrl}
            description={`Leave empty for ${DEFAULT_BASE_URL}. The /v3 prefix is added automatically.`}
            error={errors.baseUrl}
            width={LABEL_WIDTH}
            placeholder={DEFAULT_BASE_URL}
            value={jsonData.baseUrl ?? ''}
            onChange={(text) => setJson({ baseUrl: text || undefined })}
          />
          <SettingInput
            selector={s.partnerId}
            description="Your Locus partner ID (a number; Locus support can tell you)."
            required={!demo}
            error={errors.partnerId}
            width={LABEL_WIDTH}
            inputMode="numeric"
            placeholder="Your partner ID (a number)"
            value={numbers.partnerId}
            onBlur={touch('partnerId')}
            onChange={(text) => setNumber('partnerId', text)}
          />
        </ConfigSection>
      )}
      {!demo && (
        <ConfigSection
          title="Authentication"
          description="OAuth credentials from Locus. Secrets are stored encrypted and never sent back to the browser."
        >
          <Field label={s.authType.label}>
            <RadioGroup<AuthType>
              testId={s.authType.testId}
              options={AUTH_TYPES}
              value={authType}
              onChange={(v) => setJson({ authType: v })}
            />
          </Field>
          {authType === 'password' && (
            <>
              {credential('username', s.username)}
              {secret('password', s.password)}
            </>
          )}
          {credential('clientId', s.clientId)}
          {secret('clientSecret', s.clientSecret)}
        </ConfigSection>
      )}
      <ConfigSection
        title="Advanced"
        description="Request concurrency and cache lifetimes."
        isCollapsible
        isInitiallyOpen={advancedSet}
      >
        <SettingInput
          selector={s.maxConcurrent}
          description={`Locus allows ONE request in flight per account by default and answers extra ones with "Too many requests". Keep 1 (the default) unless Locus raised your account's limit; at most ${MAX_CONCURRENT_LIMIT}.`}
          error={errors.maxConcurrentRequests}
          width={20}
          inputMode="numeric"
          placeholder="1"
          value={numbers.maxConcurrentRequests}
          onChange={(text) => setNumber('maxConcurrentRequests', text)}
        />
        {(
          [
            [
              'metadataCacheSeconds',
              s.metadataCache,
              '600',
              'Clients, sites, components and their fields (default 10 minutes).',
            ],
            [
              'pastDataCacheSeconds',
              s.pastDataCache,
              '86400',
              'Data of completed days, which rarely changes (default 24 hours).',
            ],
            [
              'recentDataCacheSeconds',
              s.recentDataCache,
              '60',
              'Data of today, which still changes (default 1 minute).',
            ],
          ] as const
        ).map(([key, sel, placeholder, description]) => (
          <SettingInput
            key={key}
            selector={sel}
            description={`${description} 0 or empty uses the default; at most ${MAX_CACHE_SECONDS}.`}
            error={errors[key]}
            width={20}
            inputMode="numeric"
            placeholder={placeholder}
            value={numbers[key]}
            onChange={(text) => setNumber(key, text)}
          />
        ))}
      </ConfigSection>
      <SharedStateSection options={options} onOptionsChange={onOptionsChange} />
    </Stack>
  );
}

function toText(n: number | undefined): string {
  return n === undefined || n === null ? '' : String(n);
}
