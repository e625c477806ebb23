/** A real DataSource instance for tests, addressed as uid "locus-test". */
import { DataSourceInstanceSettings, DataSourcePluginMeta, PluginType } from '@grafana/data';

import { DataSource } from '../datasource';
import { LocusDataSourceOptions } from '../types';

/** makeDataSource builds the plugin's DataSource like Grafana would. */
export function makeDataSource(jsonData: LocusDataSourceOptions = {}): DataSource {
  const settings: DataSourceInstanceSettings<LocusDataSourceOptions> = {
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- still required by the type in 12.4
    id: 1,
    uid: 'locus-test',
    type: 'sunfleet-locus-datasource',
    name: 'Locus Energy',
    access: 'proxy',
    readOnly: false,
    jsonData,
    meta: {
      id: 'sunfleet-locus-datasource',
      name: 'Locus Energy',
      type: PluginType.datasource,
      module: '',
      baseUrl: '',
      info: {
        author: { name: 'Sunfleet' },
        description: '',
        links: [],
        logos: { small: '', large: '' },
        screenshots: [],
        updated: '',
        version: '',
      },
    } as DataSourcePluginMeta<LocusDataSourceOptions>,
  };
  return new DataSource(settings);
}
