import { QueryEditorProps } from '@grafana/data';
import { EditorRows } from '@grafana/plugin-ui';
import { Text } from '@grafana/ui';
import { getTemplateSrv } from '@grafana/runtime';
import React from 'react';

import { missingParts, normalizeQuery, switchQueryType } from '../defaults';
import { panelAsRun } from '../panelQueries';
import { descriptorOf, queryTypeOptions } from '../queryTypes';
import { selectors } from '../selectors';
import { LocusDataSourceOptions, LocusQuery, QueryType } from '../types';
import { LocusDataSourceApi } from './editors/types';
import { FieldRow, RadioField } from './fields';

type Props = QueryEditorProps<LocusDataSourceApi, LocusQuery, LocusDataSourceOptions>;

/** QueryEditor picks the query type and hands over to that type's editor (both from the query type table). */
export function QueryEditor({ datasource, query: rawQuery, onChange, onRunQuery, range, data, queries }: Props) {
  const query = normalizeQuery(rawQuery);
  const change = (next: LocusQuery, run = false) => {
    onChange(next);
    if (run) {
      onRunQuery();
    }
  };
  const { Editor } = descriptorOf(query.queryType);
  const missing = missingParts(query);
  return (
    <div data-testid={selectors.query.editor}>
      <EditorRows>
        <FieldRow>
          <RadioField<QueryType>
            selector={selectors.query.queryType}
            options={queryTypeOptions()}
            value={query.queryType}
            onChange={(t) => change(switchQueryType(query, t), true)}
          />
        </FieldRow>
        <Editor
          resources={datasource.resources}
          query={query}
          onChange={change}
          range={range}
          data={data}
          queries={panelAsRun(query, queries as LocusQuery[] | undefined, data?.request?.timezone, getTemplateSrv())}
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
