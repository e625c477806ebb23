import { DataSourceApi, PanelData, TimeRange } from '@grafana/data';

import { LocusResources } from '../../resources';
import { LocusDataSourceOptions, LocusQuery, QueryOf, QueryType } from '../../types';

/**
 * LocusDataSourceApi is what the editors Grafana renders (query, variable,
 * annotation) get as their data source: any data source with the plugin's
 * resource routes. The DataSource class implements it; the editors never
 * import the class, so it can import them without an import circle.
 */
export type LocusDataSourceApi = DataSourceApi<LocusQuery, LocusDataSourceOptions> & {
  readonly resources: LocusResources;
};

/** TypedEditorProps are the props of the editor of one query type. */
export interface TypedEditorProps<T extends QueryType> {
  /** The data source's resource routes (sites, components, fields, plan, ...). */
  resources: LocusResources;
  query: QueryOf<T>;
  /** onChange stores the query; run says whether to run it right away (discrete choices do, typing does not). */
  onChange: (query: QueryOf<T>, run?: boolean) => void;
  range?: TimeRange;
  data?: PanelData;
  /**
   * The panel's queries as they will run, this one as edited included
   * (panelQueries.ts, panelAsRun): the time series editor has them planned together.
   */
  queries?: LocusQuery[];
}

/**
 * updater gives an editor its update(patch, run = true): store the query with
 * patch applied and, unless run is false (typing), run it.
 */
export function updater<T extends QueryType>(
  query: QueryOf<T>,
  onChange: TypedEditorProps<T>['onChange']
): (patch: Partial<QueryOf<T>>, run?: boolean) => void {
  return (patch, run = true) => onChange({ ...query, ...patch }, run);
}
