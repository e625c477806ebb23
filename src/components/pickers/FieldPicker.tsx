import { MultiCombobox } from '@grafana/ui';
import React, { useMemo } from 'react';

import { FieldInfo } from '../../types';
import { fieldOptions } from './fieldOptions';
import { variableOptions } from './variableOptions';

interface Props {
  id: string;
  fields: FieldInfo[];
  value: string[];
  onChange: (value: string[]) => void;
  loading?: boolean;
  disabled?: boolean;
  invalid?: boolean;
  placeholder?: string;
}

/**
 * FieldPicker is a multi-select of the entity's dataavailable fields, grouped
 * by source, plus variables. Each chip names its source ("AC Power (Modeled,
 * avg)"). The box grows with its chips (width "auto" up to a row's width):
 * MultiCombobox folds chips into "… n" against its measured width, and a
 * fixed width would fold two short chips although the row has room.
 */
export function FieldPicker({ id, fields, value, onChange, loading, disabled, invalid, placeholder }: Props) {
  const options = useMemo(() => {
    const vars = variableOptions().filter((v) => !value.includes(v.value));
    return [...fieldOptions(fields, value), ...vars];
  }, [fields, value]);
  return (
    <MultiCombobox<string>
      id={id}
      data-testid={id}
      width="auto"
      minWidth={40}
      maxWidth={140}
      options={options}
      value={value}
      loading={loading}
      disabled={disabled}
      invalid={invalid}
      placeholder={placeholder ?? 'Choose fields'}
      isClearable
      onChange={(selected) => onChange(selected.map((o) => o.value))}
    />
  );
}
