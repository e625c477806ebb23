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
  placeholder?: string;
  width?: number;
}

/** FieldPicker is a multi-select of the entity's dataavailable fields, grouped by source, plus variables. */
export function FieldPicker({ id, fields, value, onChange, loading, disabled, placeholder, width }: Props) {
  const options = useMemo(() => {
    const vars = variableOptions().filter((v) => !value.includes(v.value));
    return [...fieldOptions(fields, value), ...vars];
  }, [fields, value]);
  return (
    <MultiCombobox<string>
      id={id}
      data-testid={id}
      width={width ?? 60}
      options={options}
      value={value}
      loading={loading}
      disabled={disabled}
      placeholder={placeholder ?? 'Choose fields'}
      isClearable
      onChange={(selected) => onChange(selected.map((o) => o.value))}
    />
  );
}
