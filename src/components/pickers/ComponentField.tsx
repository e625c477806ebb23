import { EditorField } from '@grafana/plugin-ui';
import React from 'react';

import type { DataSource } from '../../datasource';
import { selectors } from '../../selectors';
import { ComponentPicker, ComponentTree } from './ComponentPicker';

interface Props {
  datasource: DataSource;
  /** The chosen site's tree (useComponentTree); a load error shows on the field. */
  tree: ComponentTree;
  value?: string;
  onChange: (componentId: string | undefined) => void;
  optional?: boolean;
  tooltip?: string;
}

/** ComponentField is the labelled component picker every editor uses. */
export function ComponentField({ datasource, tree, value, onChange, optional, tooltip }: Props) {
  return (
    <EditorField
      label={selectors.query.component.label}
      htmlFor={selectors.query.component.id}
      optional={optional}
      tooltip={tooltip}
      invalid={!!tree.error}
      error={tree.error && `Could not load the site's components: ${tree.error}`}
    >
      <ComponentPicker
        datasource={datasource}
        id={selectors.query.component.id}
        tree={tree}
        value={value}
        onChange={onChange}
      />
    </EditorField>
  );
}
