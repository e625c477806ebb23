// Grafana's window.grafanaBootData, set before @grafana/runtime's config
// module reads it (this file is the bundle's first entry). __GRAFANA_VERSION__
// is the runtime's @grafana/ui version (webpack.config.mjs defines it).
/* global __GRAFANA_VERSION__ */
window.grafanaBootData = {
  assets: { dark: '', light: '' },
  navTree: [],
  settings: {
    appUrl: `${window.location.origin}/`,
    appSubUrl: '',
    buildInfo: { version: __GRAFANA_VERSION__, commit: 'browser-host', env: 'production', edition: 'Open Source', latestVersion: '', hasUpdate: false, hideVersion: false },
    datasources: {},
    defaultDatasource: '',
    featureToggles: {},
    panels: {},
    apps: {},
    unifiedAlertingEnabled: true,
  },
  user: {
    id: 1,
    uid: 'admin',
    login: 'admin',
    name: 'Admin',
    email: 'admin@localhost',
    orgId: 1,
    orgName: 'Main Org.',
    orgRole: 'Admin',
    isSignedIn: true,
    isGrafanaAdmin: true,
    theme: 'dark',
    timezone: 'browser',
    weekStart: 'browser',
    locale: 'en-US',
    language: 'en-US',
    regionalFormat: 'en-US',
    permissions: {},
    helpFlags1: 0,
    hasEditPermissionInFolders: true,
  },
};
