// The data source settings page: the plugin's ConfigEditor, then Grafana's
// Save & test (PUT the settings, rebuild the instance, run testDatasource and
// show the health message in an Alert).
import { selectors } from '@grafana/e2e-selectors';
import { getBackendSrv } from '@grafana/runtime';
import { Alert, Button, Stack } from '@grafana/ui';
import { createElement as h, useState } from 'react';

import ids from './test-ids.json';
import { toEditorOptions } from './settings.js';

const e2e = selectors.pages.DataSource;

/** ConfigPanel renders the plugin's ConfigEditor and the Save & test flow. */
export function ConfigPanel({ plugin, initial, onSaved }) {
  const [options, setOptions] = useState(() => toEditorOptions(initial));
  const [result, setResult] = useState(undefined);
  const [busy, setBusy] = useState(false);
  const [attempts, setAttempts] = useState(0);
  const ConfigEditor = plugin.components.ConfigEditor;

  const saveAndTest = async () => {
    setBusy(true);
    setResult(undefined);
    try {
      const saved = await getBackendSrv().put(`/api/datasources/uid/${options.uid}`, options);
      setOptions(toEditorOptions(saved.datasource));
      const instance = onSaved(saved.datasource);
      const res = await instance.testDatasource();
      setResult({ severity: res.status === 'success' ? 'success' : 'error', message: res.message, details: res.details });
    } catch (err) {
      const message = err?.message ?? err?.data?.message ?? 'Save & test failed';
      setResult({ severity: 'error', message, details: err?.details ?? err?.error?.details });
    } finally {
      setBusy(false);
      setAttempts((n) => n + 1);
    }
  };

  return h(
    'section',
    { 'data-testid': ids.configSection, className: 'shell-card' },
    h('h2', null, `Settings · ${options.name}`),
    h(ConfigEditor, { options, onOptionsChange: setOptions }),
    result &&
      h(
        'div',
        { className: 'shell-result', 'data-testid': ids.testResult, 'data-severity': result.severity, 'data-attempt': attempts },
        h(
          Alert,
          { severity: result.severity, title: result.message, 'data-testid': e2e.alert },
          result.details?.message ?? null
        )
      ),
    h(
      Stack,
      { gap: 1 },
      h(Button, { variant: 'primary', onClick: saveAndTest, disabled: busy, 'data-testid': e2e.saveAndTest }, busy ? 'Testing...' : 'Save & test')
    )
  );
}
