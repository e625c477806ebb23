import { EditorField } from '@grafana/plugin-ui';
import { MultiCombobox } from '@grafana/ui';
import React, { useMemo } from 'react';

import { selectors } from '../../selectors';
import { FieldInfo } from '../../types';
import { fieldOptions } from './fieldOptions';
import { variableOptions } from './variableOptions';

interface Props {
  fields: FieldInfo[];
  value: string[];
  onChange: (value: string[]) => void;
  loading?: boolean;
  /** What is wrong with the choice or the list, shown on the field. */
  error?: string;
  tooltip: string;
  placeholder?: string;
}

/** MIN_WIDTH and MAX_WIDTH bound the box, in Grafana spacing units (8 px). */
const MIN_WIDTH = 40;
const MAX_WIDTH = 120;

/**
 * chipsWidth is the box width (spacing units) that shows every chip: about
 * 7 px a character at the chips' 12 px font, plus each chip's padding and
 * remove button (MultiCombobox counts 50 px), plus the input and suffix.
 * MultiCombobox folds chips into "… n" against the width it measures, and
 * with width "auto" that is the box's own width, so the box must be given
 * room for its chips up front.
 */
export function chipsWidth(labels: string[]): number {
  const px = labels.reduce((n, l) => n + l.length * 7 + 50, 0) + 90;
  return Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, Math.ceil(px / 8)));
}

/**
 * FieldPicker is the labelled Fields box: a multi-select of the entity's dataavailable fields, grouped
 * by source, plus variables. Each chip names its source ("AC Power (Modeled,
 * avg)"). The box grows with its chips (chipsWidth, up to 960 px) before
 * MultiCombobox folds them into "… n"; a fixed width folded two short chips
 * although the row had room (it measures a numeric width as pixels).
 */
export function FieldPicker({ fields, value, onChange, loading, error, tooltip, placeholder }: Props) {
  const options = useMemo(() => {
    const vars = variableOptions().filter((v) => !value.includes(v.value));
    return [...fieldOptions(fields, value), ...vars];
  }, [fields, value]);
  const minWidth = useMemo(
    () => chipsWidth(options.filter((o) => value.includes(o.value)).map((o) => o.label ?? o.value)),
    [options, value]
  );
  const id = selectors.query.fields.id;
  return (
    <EditorField label={selectors.query.fields.label} htmlFor={id} invalid={!!error} error={error} tooltip={tooltip}>
      <MultiCombobox<string>
        id={id}
        data-testid={id}
        width="auto"
        minWidth={minWidth}
        maxWidth={MAX_WIDTH}
        options={options}
        value={value}
        loading={loading}
        invalid={!!error}
        placeholder={placeholder ?? 'Choose fields'}
        isClearable
        onChange={(selected) => onChange(selected.map((o) => o.value))}
      />
    </EditorField>
  );
}
