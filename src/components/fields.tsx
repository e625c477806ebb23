/**
 * The labelled controls the editors repeat: a radio group, a single-choice
 * box and a switch, each in an EditorField whose label and id (or test id)
 * come from selectors.ts, so the jest and browser tests find them by the
 * same names.
 */
import { EditorField, EditorFieldGroup, EditorRow } from '@grafana/plugin-ui';
import { Combobox, ComboboxOption, Field, InlineSwitch, Input, MultiCombobox, RadioButtonGroup } from '@grafana/ui';
import React, { ReactNode } from 'react';

/** controlIds gives a control the id its label points at, and the same data-testid (selectors.ts). */
export function controlIds(selector: { id: string }): { id: string; 'data-testid': string } {
  return { id: selector.id, 'data-testid': selector.id };
}

/** FieldChrome is what the EditorField around a control shows besides its label. */
interface FieldChrome {
  tooltip?: string;
  optional?: boolean;
}

/** RadioOption is one button of a radio group. */
export interface RadioOption<T> {
  label: string;
  value: T;
  description?: string;
}

interface RadioGroupProps<T> {
  /** The test id of the group's wrapper (Grafana's RadioButtonGroup takes none). */
  testId: string;
  options: Array<RadioOption<T>>;
  value: T;
  onChange: (value: T) => void;
}

/** RadioGroup is a RadioButtonGroup the tests find by testId. */
export function RadioGroup<T>({ testId, options, value, onChange }: RadioGroupProps<T>) {
  return (
    <div data-testid={testId}>
      <RadioButtonGroup<T> options={options} value={value} onChange={onChange} />
    </div>
  );
}

/** RadioField is a labelled RadioGroup (selector: label and test id). */
export function RadioField<T>({
  selector,
  tooltip,
  ...group
}: Omit<RadioGroupProps<T>, 'testId'> & { selector: { label: string; testId: string }; tooltip?: string }) {
  return (
    <EditorField label={selector.label} tooltip={tooltip}>
      <RadioGroup<T> testId={selector.testId} {...group} />
    </EditorField>
  );
}

interface SelectFieldProps<T extends string> extends FieldChrome {
  selector: { label: string; id: string };
  width: number;
  options: Array<ComboboxOption<T>>;
  value: T;
  onChange: (value: T) => void;
}

/** SelectField is a labelled single-choice Combobox that always has a value (selector: label and id). */
export function SelectField<T extends string>({
  selector,
  width,
  options,
  value,
  onChange,
  ...chrome
}: SelectFieldProps<T>) {
  return (
    <EditorField label={selector.label} htmlFor={selector.id} {...chrome}>
      <Combobox<T>
        {...controlIds(selector)}
        width={width}
        options={options}
        value={value}
        onChange={(o) => onChange(o.value)}
      />
    </EditorField>
  );
}

interface SwitchFieldProps extends FieldChrome {
  selector: { label: string; id: string };
  value: boolean;
  disabled?: boolean;
  onChange: (checked: boolean) => void;
}

/** SwitchField is a labelled InlineSwitch (selector: label and id). */
export function SwitchField({ selector, value, disabled, onChange, ...chrome }: SwitchFieldProps) {
  return (
    <EditorField label={selector.label} htmlFor={selector.id} {...chrome}>
      <InlineSwitch
        id={selector.id}
        value={value}
        disabled={disabled}
        onChange={(e) => onChange(e.currentTarget.checked)}
      />
    </EditorField>
  );
}

interface MultiSelectFieldProps extends FieldChrome {
  selector: { label: string; id: string };
  width: number;
  placeholder: string;
  options: string[];
  value: string[] | undefined;
  /** Offer what was typed as a value too (the option list may lack values the API accepts). */
  createCustomValue?: boolean;
  /** onChange gets the chosen values, or undefined when none is chosen (the key is then left out). */
  onChange: (values: string[] | undefined) => void;
}

/** MultiSelectField is a labelled, clearable MultiCombobox of strings (selector: label and id). */
export function MultiSelectField({
  selector,
  width,
  placeholder,
  options,
  value,
  createCustomValue,
  onChange,
  ...chrome
}: MultiSelectFieldProps) {
  return (
    <EditorField label={selector.label} htmlFor={selector.id} {...chrome}>
      <MultiCombobox<string>
        {...controlIds(selector)}
        width={width}
        placeholder={placeholder}
        options={options.map((v) => ({ value: v, label: v }))}
        value={value ?? []}
        createCustomValue={createCustomValue}
        isClearable
        onChange={(chosen) => onChange(chosen.length ? chosen.map((o) => o.value) : undefined)}
      />
    </EditorField>
  );
}

/** FieldRow is one row of an editor's fields (EditorRow around an EditorFieldGroup). */
export function FieldRow({ children }: { children: ReactNode }) {
  return (
    <EditorRow>
      <EditorFieldGroup>{children}</EditorFieldGroup>
    </EditorRow>
  );
}

interface SettingInputProps {
  selector: { label: string; id: string };
  description?: string;
  /** What is wrong with the value, shown on the field. */
  error?: string;
  required?: boolean;
  width: number;
  placeholder?: string;
  inputMode?: 'numeric';
  autoComplete?: string;
  value: string;
  onChange: (text: string) => void;
  onBlur?: () => void;
}

/** SettingInput is a text setting of the config page: a Field (label, description, error) around an Input. */
export function SettingInput({ selector, description, error, required, onChange, ...input }: SettingInputProps) {
  return (
    <Field label={selector.label} description={description} required={required} invalid={!!error} error={error}>
      <Input id={selector.id} {...input} onChange={(e) => onChange(e.currentTarget.value)} />
    </Field>
  );
}
