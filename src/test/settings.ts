/** Data source settings as Grafana hands them to the config editor. */
import { DataSourceSettings } from '@grafana/data';

import { LocusDataSourceOptions, LocusSecureJsonData } from '../types';

/** Settings are the config editor's options. */
export type Settings = DataSourceSettings<LocusDataSourceOptions, LocusSecureJsonData>;

/** dataSourceSettings builds the settings of a saved Locus data source with jsonData and the secrets set so far. */
export function dataSourceSettings(
  jsonData: LocusDataSourceOptions = {},
  secureJsonFields: Record<string, boolean> = {}
): Settings {
  return {
    id: 1,
    uid: 'locus',
    orgId: 1,
    name: 'Locus Energy',
    type: 'sunfleet-locus-datasource',
    typeName: 'Locus Energy',
    typeLogoUrl: '',
    access: 'proxy',
    url: '',
    user: '',
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- still required by the type in 12.4
    database: '',
    basicAuth: false,
    basicAuthUser: '',
    isDefault: false,
    jsonData,
    secureJsonFields,
    readOnly: false,
    withCredentials: false,
  } as Settings;
}
