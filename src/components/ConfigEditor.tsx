import { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { ConfigSection, DataSourceDescription } from '@grafana/plugin-ui';
import { Alert, Divider, Field, Input, RadioButtonGroup, SecretInput, Stack, Switch } from '@grafana/ui';
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
          <Field
            label={s.baseUrl.label}
            description={`Leave empty for ${DEFAULT_BASE_URL}. The /v3 prefix is added automatically.`}
            invalid={!!errors.baseUrl}
            error={errors.baseUrl}
          >
            <Input
              id={s.baseUrl.id}
              width={LABEL_WIDTH}
              placeholder={DEFAULT_BASE_URL}
              value={jsonData.baseUrl ?? ''}
              onChange={(e) => setJson({ baseUrl: e.currentTarget.value || undefined })}
            />
          </Field>
          <Field
            label={s.partnerId.label}
            description="Your Locus partner ID (a number; Locus support can tell you)."
            required={!demo}
            invalid={!!errors.partnerId}
            error={errors.partnerId}
          >
            <Input
              id={s.partnerId.id}
              width={LABEL_WIDTH}
              inputMode="numeric"
              placeholder="Your partner ID (a number)"
              value={numbers.partnerId}
              onBlur={touch('partnerId')}
              onChange={(e) => setNumber('partnerId', e.currentTarget.value)}
            />
          </Field>
        </ConfigSection>
      )}
      {!demo && (
        <ConfigSection
          title="Authentication"
          description="OAuth credentials from Locus. Secrets are stored encrypted and never sent back to the browser."
        >
          <Field label={s.authType.label}>
            <div data-testid={s.authType.testId}>
              <RadioButtonGroup<AuthType>
                options={AUTH_TYPES}
                value={authType}
                onChange={(v) => setJson({ authType: v })}
              />
            </div>
          </Field>
          {authType === 'password' && (
            <>
              <Field label={s.username.label} required invalid={!!errors.username} error={errors.username}>
                <Input
                  id={s.username.id}
                  width={LABEL_WIDTH}
                  autoComplete="off"
                  value={jsonData.username ?? ''}
                  onBlur={touch('username')}
                  onChange={(e) => setJson({ username: e.currentTarget.value })}
                />
              </Field>
              <Field label={s.password.label} required invalid={!!errors.password} error={errors.password}>
                <SecretInput
                  id={s.password.id}
                  width={LABEL_WIDTH}
                  isConfigured={!!secureJsonFields?.password}
                  value={secure.password ?? ''}
                  onBlur={touch('password')}
                  onChange={(e) => setSecret('password', e.currentTarget.value)}
                  onReset={() => resetSecret('password')}
                />
              </Field>
            </>
          )}
          <Field label={s.clientId.label} required invalid={!!errors.clientId} error={errors.clientId}>
            <Input
              id={s.clientId.id}
              width={LABEL_WIDTH}
              autoComplete="off"
              value={jsonData.clientId ?? ''}
              onBlur={touch('clientId')}
              onChange={(e) => setJson({ clientId: e.currentTarget.value })}
            />
          </Field>
          <Field label={s.clientSecret.label} required invalid={!!errors.clientSecret} error={errors.clientSecret}>
            <SecretInput
              id={s.clientSecret.id}
              width={LABEL_WIDTH}
              isConfigured={!!secureJsonFields?.clientSecret}
              value={secure.clientSecret ?? ''}
              onBlur={touch('clientSecret')}
              onChange={(e) => setSecret('clientSecret', e.currentTarget.value)}
              onReset={() => resetSecret('clientSecret')}
            />
          </Field>
        </ConfigSection>
      )}
      <ConfigSection
        title="Advanced"
        description="Request concurrency and cache lifetimes."
        isCollapsible
        isInitiallyOpen={advancedSet}
      >
        <Field
          label={s.maxConcurrent.label}
          description={`Locus allows ONE request in flight per account by default and answers extra ones with "Too many requests". Keep 1 (the default) unless Locus raised your account's limit; at most ${MAX_CONCURRENT_LIMIT}.`}
          invalid={!!errors.maxConcurrentRequests}
          error={errors.maxConcurrentRequests}
        >
          <Input
            id={s.maxConcurrent.id}
            width={20}
            inputMode="numeric"
            placeholder="1"
            value={numbers.maxConcurrentRequests}
            onChange={(e) => setNumber('maxConcurrentRequests', e.currentTarget.value)}
          />
        </Field>
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
          <Field
            key={key}
            label={sel.label}
            description={`${description} 0 or empty uses the default; at most ${MAX_CACHE_SECONDS}.`}
            invalid={!!errors[key]}
            error={errors[key]}
          >
            <Input
              id={sel.id}
              width={20}
              inputMode="numeric"
              placeholder={placeholder}
              value={numbers[key]}
              onChange={(e) => setNumber(key, e.currentTarget.value)}
            />
          </Field>
        ))}
      </ConfigSection>
      <SharedStateSection options={options} onOptionsChange={onOptionsChange} />
    </Stack>
  );
}

function toText(n: number | undefined): string {
  return n === undefined || n === null ? '' : String(n);
}
