// The grafana shell: installs Grafana's runtime services, loads the BUILT
// plugin (public/plugins/<id>/module.js) as an AMD module with the shared
// modules, and renders its ConfigEditor and QueryEditor.
import { initPluginTranslations } from '@grafana/i18n';
import { config, getBackendSrv, setBackendSrv, setDataSourceSrv, setEchoSrv, setTemplateSrv } from '@grafana/runtime';
import { GlobalStyles, ThemeContext } from '@grafana/ui';
import { createElement as h, useState } from 'react';
import { createRoot } from 'react-dom/client';

import { loadAmdModule } from './amd-loader.js';
import { createBackendSrv } from './backend-srv.js';
import { ConfigPanel } from './config-panel.js';
import { getCurrent, setCurrent } from './current-datasource.js';
import { createDataSourceSrv } from './datasource-srv.js';
import { QueryPanel } from './query-panel.js';
import { VariablePanel } from './variable-panel.js';
import { AnnotationPanel } from './annotation-panel.js';
import { toInstanceSettings } from './settings.js';
import { sharedModules } from './shared-modules.js';
import { createTemplateSrv, variablesFromUrl } from './template-srv.js';
import ids from './test-ids.json';
import './page.css';

function installServices() {
  setBackendSrv(createBackendSrv());
  setTemplateSrv(createTemplateSrv(variablesFromUrl(window.location.search)));
  setDataSourceSrv(createDataSourceSrv(getCurrent));
  setEchoSrv({ addEvent() {}, addBackend() {}, flush() {}, logDebug() {}, isEnabled: () => false });
}

function Page({ plugin, meta, initial, view }) {
  const [version, setVersion] = useState(0);
  const onSaved = (dto) => {
    const settings = toInstanceSettings(dto, meta);
    const instance = new plugin.DataSourceClass(settings);
    setCurrent(settings, instance);
    Object.assign(config, { datasources: { [settings.name]: settings }, defaultDatasource: settings.name });
    setVersion((v) => v + 1);
    return instance;
  };
  return h(
    ThemeContext.Provider,
    { value: config.theme2 },
    h(GlobalStyles, null),
    h(
      'main',
      { className: 'shell-page' },
      h('header', { className: 'shell-header' }, h('img', { src: `/${meta.baseUrl}/${meta.info?.logos?.small ?? ''}`, alt: '' }), h('h1', null, meta.name), h('span', null, 'browser test host · Grafana stand-in')),
      view === 'variable' && getCurrent().instance && h(VariablePanel, { datasource: getCurrent().instance }),
      view === 'annotations' && getCurrent().instance && h(AnnotationPanel, { datasource: getCurrent().instance }),
      view === 'editors' && h(ConfigPanel, { plugin, initial, onSaved }),
      view === 'editors' &&
        (getCurrent().instance
          ? h(QueryPanel, { key: version, plugin, datasource: getCurrent().instance })
          : h('section', { className: 'shell-card' }, h('p', null, 'Save & test the data source to edit a query.')))
    )
  );
}

async function main() {
  installServices();
  const params = new URLSearchParams(window.location.search);
  const pluginId = params.get('plugin') ?? 'sunfleet-locus-datasource';
  const uid = params.get('uid') ?? 'locus-browser-test';
  const meta = await getBackendSrv().get(`/api/plugins/${pluginId}/settings`);
  await initPluginTranslations(pluginId);
  const exports = await loadAmdModule(`/${meta.module}`, sharedModules);
  const plugin = exports.plugin;
  if (!plugin || !plugin.components?.ConfigEditor || !plugin.components?.QueryEditor || !plugin.DataSourceClass) {
    throw new Error('module.js must export `plugin`: a DataSourcePlugin with a ConfigEditor and a QueryEditor');
  }
  plugin.meta = meta;
  const initial = await getBackendSrv().get(`/api/datasources/uid/${uid}`);
  if (Object.keys(initial.jsonData ?? {}).length > 0) {
    // already configured (page reloaded): build the instance right away
    const settings = toInstanceSettings(initial, meta);
    setCurrent(settings, new plugin.DataSourceClass(settings));
  }
  createRoot(document.getElementById('root')).render(h(Page, { plugin, meta, initial, view: params.get('view') ?? 'editors' }));
  window.__shellReady = true;
}

main().catch((err) => {
  console.error(err);
  const el = document.getElementById('root');
  el.innerHTML = '';
  const pre = document.createElement('pre');
  pre.setAttribute('data-testid', ids.loadError);
  pre.textContent = `Plugin failed to load: ${err?.stack ?? err?.message ?? err}`;
  el.appendChild(pre);
  window.__shellReady = 'error';
});
