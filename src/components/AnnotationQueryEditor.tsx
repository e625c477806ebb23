import { QueryEditorProps } from '@grafana/data';
import React from 'react';

import { defaultQuery } from '../defaults';
import { selectors } from '../selectors';
import { AlertsQuery, LocusDataSourceOptions, LocusQuery } from '../types';
import { AlertsEditor } from './editors/AlertsEditor';
import { LocusDataSourceApi } from './editors/types';

/** AnnotationQueryEditor shows Locus alerts as annotations: scope and filters of an alerts query. */
export function AnnotationQueryEditor(props: QueryEditorProps<LocusDataSourceApi, LocusQuery, LocusDataSourceOptions>) {
  const { query, onChange, datasource } = props;
  const alerts: AlertsQuery =
    query && query.queryType === 'alerts'
      ? { ...defaultQuery('alerts', query.refId), ...query }
      : defaultQuery('alerts', query?.refId ?? 'Anno');
  return (
    <div data-testid={selectors.annotation.editor}>
      <AlertsEditor
        resources={datasource.resources}
        query={alerts}
        onChange={(q) => onChange(q)}
        range={props.range}
        data={props.data}
      />
    </div>
  );
}
