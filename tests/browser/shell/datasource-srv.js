// A DataSourceSrv serving the one data source of the page, by uid, name or
// reference, with the instance recreated whenever its settings are saved.

/** Creates the DataSourceSrv; getCurrent returns {settings, instance}. */
export function createDataSourceSrv(getCurrent) {
  const matches = (ref, settings) => {
    if (ref === undefined || ref === null || ref === '' || ref === 'default') {
      return true;
    }
    if (typeof ref === 'string') {
      return ref === settings.uid || ref === settings.name;
    }
    return (!ref.uid || ref.uid === settings.uid) && (!ref.type || ref.type === settings.type);
  };
  return {
    async get(ref) {
      const { settings, instance } = getCurrent();
      if (!instance || !matches(ref, settings)) {
        throw new Error(`Datasource ${JSON.stringify(ref)} was not found`);
      }
      return instance;
    },
    getList() {
      const { settings } = getCurrent();
      return settings ? [settings] : [];
    },
    getInstanceSettings(ref) {
      const { settings } = getCurrent();
      return settings && matches(ref, settings) ? settings : undefined;
    },
    reload() {},
    registerRuntimeDataSource() {
      throw new Error('runtime data sources are not supported by the browser-test shell');
    },
  };
}
