import { EditorField } from '@grafana/plugin-ui';
import { Combobox, ComboboxOption } from '@grafana/ui';
import React from 'react';

import { controlIds } from '../fields';
import { acceptableEntityValue, isIdList } from './variableOptions';

export interface EntityFieldProps {
  selector: { label: string; id: string };
  /** The stored value: an id, an id list or a variable. */
  value?: string;
  /** How the stored value reads in the box ("Solar Farm 0042 (#1041)"), when known. */
  valueLabel?: string;
  onChange: (value: string | undefined) => void;
  /** The menu for what was typed (entityMenu). */
  options: (input: string) => Promise<Array<ComboboxOption<string>>>;
  placeholder: string;
  width?: number;
  loading?: boolean;
  optional?: boolean;
  tooltip?: string;
  /** A load error shown on the field. */
  error?: string;
}

/**
 * EntityField is a labelled site or component search box: an id list or a
 * variable may be stored, a name typed but not picked may not (the Combobox
 * offers it as a custom value: it is ignored), and a stored value that is
 * neither shows as invalid.
 */
export function EntityField({
  selector,
  value,
  valueLabel,
  onChange,
  options,
  placeholder,
  width,
  loading,
  optional,
  tooltip,
  error,
}: EntityFieldProps) {
  return (
    <EditorField
      label={selector.label}
      htmlFor={selector.id}
      optional={optional}
      tooltip={tooltip}
      invalid={!!error}
      error={error}
    >
      <Combobox<string>
        {...controlIds(selector)}
        width={width ?? 40}
        loading={loading}
        placeholder={placeholder}
        options={options}
        value={value ? { value, label: valueLabel ?? value } : null}
        isClearable
        invalid={!!value && !isIdList(value) && !value.includes('$')}
        onChange={(o) => {
          if (acceptableEntityValue(o?.value)) {
            onChange(o?.value || undefined);
          }
        }}
      />
    </EditorField>
  );
}
