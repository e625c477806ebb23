// The page's one data source: its instance settings and DataSourceApi
// instance, rebuilt after each save (as Grafana recreates it).

const current = { settings: undefined, instance: undefined };

/** getCurrent returns {settings, instance} (both undefined before the first save). */
export function getCurrent() {
  return current;
}

/** setCurrent replaces the data source after a save. */
export function setCurrent(settings, instance) {
  current.settings = settings;
  current.instance = instance;
}
