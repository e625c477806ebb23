import { Combobox, ComboboxOption } from '@grafana/ui';
import React, { useMemo } from 'react';

import { humanNodeType } from '../../nodeTypes';
import { ComponentInfo } from '../../types';
import { variableOptions } from './variableOptions';

interface Props {
  id: string;
  /** The site's components: their node types are the options. */
  components: ComponentInfo[];
  value?: string;
  onChange: (nodeType: string | undefined) => void;
}

/** NodeTypePicker picks a node type among those of a site's components (or a variable), shown in words ("Weather station"). */
export function NodeTypePicker({ id, components, value, onChange }: Props) {
  const options = useMemo<Array<ComboboxOption<string>>>(
    () => [
      ...Array.from(new Set(components.map((c) => c.nodeType).filter((t): t is string => !!t)))
        .sort()
        .map((t) => ({ value: t, label: humanNodeType(t), description: t })),
      ...variableOptions(),
    ],
    [components]
  );
  return (
    <Combobox<string>
      id={id}
      data-testid={id}
      width={24}
      placeholder="All node types"
      options={options}
      value={value ? { value, label: value.includes('$') ? value : humanNodeType(value) } : null}
      isClearable
      onChange={(o) => onChange(o?.value || undefined)}
    />
  );
}
