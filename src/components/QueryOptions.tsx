import { EditorField, EditorRow, QueryOptionGroup } from '@grafana/plugin-ui';
import { Input } from '@grafana/ui';
import React, { ReactNode, useState } from 'react';

import { selectors } from '../selectors';

interface AliasProps {
  value?: string;
  /** The name a series gets without a legend (the placeholder). */
  placeholder: string;
  onCommit: (v: string) => void;
}

/** AliasField commits the legend template on blur or Enter, not on every keystroke (keyed by the stored value). */
export function AliasField({ value, placeholder, onCommit }: AliasProps) {
  const [text, setText] = useState(value ?? '');
  const commit = () => {
    if (text !== (value ?? '')) {
      onCommit(text);
    }
  };
  return (
    <EditorField
      label={selectors.query.alias.label}
      htmlFor={selectors.query.alias.id}
      optional
      tooltip="Series name template: {{site}} {{component}} {{field}} {{longName}} {{aggregation}} {{source}} {{unit}}. Empty gives the name shown as placeholder."
    >
      <Input
        id={selectors.query.alias.id}
        width={44}
        placeholder={placeholder}
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            commit();
          }
        }}
      />
    </EditorField>
  );
}

interface RowProps {
  /** What the collapsed row says: "Legend: Auto", "Granularity: Auto (15min)", ... */
  collapsedInfo: string[];
  children: ReactNode;
}

/**
 * QueryOptionsRow is the collapsed "Options" row below a query, as in the
 * Prometheus and Loki editors (@grafana/plugin-ui QueryOptionGroup): closed,
 * it lists the current settings; open, it shows their fields.
 */
export function QueryOptionsRow({ collapsedInfo, children }: RowProps) {
  return (
    <div data-testid={selectors.query.options}>
      <EditorRow>
        <QueryOptionGroup title="Options" collapsedInfo={collapsedInfo}>
          {children}
        </QueryOptionGroup>
      </EditorRow>
    </div>
  );
}
