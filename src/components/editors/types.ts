import { PanelData, TimeRange } from '@grafana/data';

import type { DataSource } from '../../datasource';
import { LocusQuery, QueryOf, QueryType } from '../../types';

/** TypedEditorProps are the props of the editor of one query type. */
export interface TypedEditorProps<T extends QueryType> {
  datasource: DataSource;
  query: QueryOf<T>;
  /** onChange stores the query; run says whether to run it right away (discrete choices do, typing does not). */
  onChange: (query: QueryOf<T>, run?: boolean) => void;
  range?: TimeRange;
  data?: PanelData;
  /** The panel's queries (planned together with this one). */
  queries?: LocusQuery[];
}
