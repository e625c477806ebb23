import { EditorField } from '@grafana/plugin-ui';
import React from 'react';

import type { DataSource } from '../../datasource';
import { selectors } from '../../selectors';
import { SitePicker } from './SitePicker';

interface Props {
  datasource: DataSource;
  value?: string;
  onChange: (siteId: string | undefined) => void;
  /** Only sites of this client. */
  clientId?: string;
  optional?: boolean;
  tooltip?: string;
}

/** SiteField is the labelled site picker every editor uses. */
export function SiteField({ datasource, value, onChange, clientId, optional, tooltip }: Props) {
  return (
    <EditorField
      label={selectors.query.site.label}
      htmlFor={selectors.query.site.id}
      optional={optional}
      tooltip={tooltip}
    >
      <SitePicker
        datasource={datasource}
        id={selectors.query.site.id}
        clientId={clientId}
        value={value}
        onChange={onChange}
      />
    </EditorField>
  );
}
