import { DataSourcePlugin } from '@grafana/data';

import { ConfigEditor } from './components/ConfigEditor';
import { QueryEditor } from './components/QueryEditor';
import { DataSource } from './datasource';
import { LocusDataSourceOptions, LocusQuery, LocusSecureJsonData } from './types';

/** plugin wires the Locus Energy data source into Grafana. */
export const plugin = new DataSourcePlugin<DataSource, LocusQuery, LocusDataSourceOptions, LocusSecureJsonData>(
  DataSource
)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor);
