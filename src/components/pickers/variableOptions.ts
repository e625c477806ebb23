/** Template variables offered as options by every picker. */
import { ComboboxOption } from '@grafana/ui';
import { getTemplateSrv } from '@grafana/runtime';

import { isAbortError, resourceErrorMessage } from '../../resources';

/** variableOptions lists dashboard variables as "$name" options, filtered by the typed text. */
export function variableOptions(search = ''): Array<ComboboxOption<string>> {
  const needle = search.replace(/^\$/, '').toLowerCase();
  return getTemplateSrv()
    .getVariables()
    .filter((v) => !needle || v.name.toLowerCase().includes(needle))
    .map((v) => ({ value: `$${v.name}`, label: `$${v.name}`, description: 'Dashboard variable', group: 'Variables' }));
}

/** isVariable tells whether a value refers to a template variable. */
export function isVariable(value: string | undefined): boolean {
  return !!value && value.includes('$');
}

/** isIdList tells whether a value is one positive integer id or a comma-separated list of them. */
export function isIdList(value: string): boolean {
  return /^\s*\d+\s*(,\s*\d+\s*)*$/.test(value);
}

/**
 * acceptableEntityValue tells whether a picked value may be stored as an id:
 * an id list or a variable. A typed name offered as a custom value (the
 * Combobox puts it first, so Enter picks it) is not, and is ignored.
 */
export function acceptableEntityValue(value: string | undefined): boolean {
  return !value || isIdList(value) || isVariable(value);
}

/**
 * typedValueOptions offers what was typed by hand when it is an id list (one
 * id already among the options is not repeated) or a variable reference not
 * among the dashboard's variables; plain text is a search, never a value.
 */
export function typedValueOptions(
  input: string,
  noun: 'site' | 'component',
  listed: (value: string) => boolean
): Array<ComboboxOption<string>> {
  const text = input.trim().replace(/\s*,\s*/g, ',');
  if (isIdList(text) && !listed(text)) {
    return [{ value: text, label: text, description: `Use these ${noun} ids (comma-separated)` }];
  }
  if (/^\$\w+$|^\$\{\w+(:\w+)?\}$/.test(text) && !variableOptions().some((v) => v.value === text)) {
    return [{ value: text, label: text, description: 'Use this variable (not defined on this dashboard yet)' }];
  }
  return [];
}

/** INFO_VALUE is the value of hint, "nothing matches" and error rows (never stored: acceptableEntityValue refuses it). */
export const INFO_VALUE = '__info__';

/** infoOption is a menu row that says something (a hint, nothing matches, an error) and picks nothing. */
export function infoOption(label: string): ComboboxOption<string> {
  return { value: INFO_VALUE, label, infoOption: true };
}

/**
 * failedSearch is the menu of a search that failed: one row in the backend's
 * words ("Could not search sites: …"). A cancelled search is no failure: its
 * error is thrown on, so the Combobox drops it.
 */
export function failedSearch(err: unknown, what: string): Array<ComboboxOption<string>> {
  if (isAbortError(err)) {
    throw err;
  }
  return [infoOption(`Could not ${what}: ${resourceErrorMessage(err)}`)];
}

/**
 * entityMenu orders a site or component search's menu: what was typed by hand
 * (an id list or a variable, typedValueOptions), the matching entities, then
 * the dashboard's variables (variables before the entities when the text
 * starts with $), so Enter picks the first real match. With nothing to
 * offer, one row says `none`.
 */
export function entityMenu(
  input: string,
  noun: 'site' | 'component',
  entities: Array<ComboboxOption<string>>,
  none: string
): Array<ComboboxOption<string>> {
  const typed = typedValueOptions(input, noun, (v) => entities.some((o) => o.value === v));
  const vars = variableOptions(input);
  const options = input.trim().startsWith('$') ? [...typed, ...vars, ...entities] : [...typed, ...entities, ...vars];
  return options.length ? options : [infoOption(none)];
}
