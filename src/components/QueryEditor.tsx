import { QueryEditorProps } from '@grafana/data';
import { EditorField, EditorFieldGroup, EditorRow, EditorRows } from '@grafana/plugin-ui';
import { RadioButtonGroup, Text } from '@grafana/ui';
import React, { ComponentType } from 'react';

import type { DataSource } from '../datasource';
import { missingParts, normalizeQuery, switchQueryType } from '../defaults';
import { selectors } from '../selectors';
import { LocusDataSourceOptions, LocusQuery, QueryType } from '../types';
import { AlertsEditor } from './editors/AlertsEditor';
import { BulkEditor } from './editors/BulkEditor';
import { LatestEditor } from './editors/LatestEditor';
import { MetadataEditor } from './editors/MetadataEditor';
import { RankingEditor } from './editors/RankingEditor';
import { TimeSeriesEditor } from './editors/TimeSeriesEditor';
import { TypedEditorProps } from './editors/types';

/** EDITORS has one editor per query type; a missing one fails type-checking. */
const EDITORS: { [T in QueryType]: ComponentType<TypedEditorProps<T>> } = {
  timeseries: TimeSeriesEditor,
  latest: LatestEditor,
  bulk: BulkEditor,
  alerts: AlertsEditor,
  metadata: MetadataEditor,
  ranking: RankingEditor,
};

/** QUERY_TYPE_OPTIONS label the query types. */
export const QUERY_TYPE_OPTIONS: Array<{ label: string; value: QueryType; description: string }> = [
  { label: 'Time series', value: 'timeseries', description: 'Site or component data over the time range' },
  { label: 'Latest', value: 'latest', description: 'The latest value of component fields' },
  { label: 'Fleet bulk', value: 'bulk', description: 'Monthly data of every site of the partner' },
  { label: 'Alerts', value: 'alerts', description: 'Locus alerts open during the time range' },
  {
    label: 'Metadata',
    value: 'metadata',
    description: 'Clients, sites, components, install info, model settings, fields',
  },
  {
    label: 'Fleet ranking',
    value: 'ranking',
    description: 'One row per site: energy, specific yield, performance index, PR, availability, worst first',
  },
];

type Props = QueryEditorProps<DataSource, LocusQuery, LocusDataSourceOptions>;

/** QueryEditor picks the query type and hands over to that type's editor. */
export function QueryEditor({ datasource, query: rawQuery, onChange, onRunQuery, range, data, queries }: Props) {
  const query = normalizeQuery(rawQuery);
  const change = (next: LocusQuery, run = false) => {
    onChange(next);
    if (run) {
      onRunQuery();
    }
  };
  const Editor = EDITORS[query.queryType] as ComponentType<TypedEditorProps<QueryType>>;
  const missing = missingParts(query);
  return (
    <div data-testid={selectors.query.editor}>
      <EditorRows>
        <EditorRow>
          <EditorFieldGroup>
            <EditorField label={selectors.query.queryType.label}>
              <div data-testid={selectors.query.queryType.testId}>
                <RadioButtonGroup<QueryType>
                  options={QUERY_TYPE_OPTIONS}
                  value={query.queryType}
                  onChange={(t) => change(switchQueryType(query, t), true)}
                />
              </div>
            </EditorField>
          </EditorFieldGroup>
        </EditorRow>
        <Editor
          datasource={datasource}
          query={query}
          onChange={change}
          range={range}
          data={data}
          queries={queries as LocusQuery[] | undefined}
        />
        {missing.length > 0 && (
          <div data-testid={selectors.query.missing}>
            <Text color="secondary" variant="bodySmall">
              Choose {missing.join(' and ')} to run this query.
            </Text>
          </div>
        )}
      </EditorRows>
    </div>
  );
}
