/** Pure helpers about dataavailable fields: options, granularities, parameters. */
import { ComboboxOption } from '@grafana/ui';

import { FieldInfo } from '../../types';

/** SOURCE_ORDER is the order of field groups in the picker. */
export const SOURCE_ORDER = ['Measured', 'Modeled', 'Expected'];

/** fieldLabel is a field's name in the picker and in notices. */
export function fieldLabel(f: FieldInfo): string {
  return `${f.longName || f.baseField} (${f.aggregation})`;
}

/** fieldOptions groups fields by source (Measured, Modeled, Expected, then others) with unit and granularities. */
export function fieldOptions(fields: FieldInfo[], selected: string[]): Array<ComboboxOption<string>> {
  const rank = (source: string) => {
    const i = SOURCE_ORDER.indexOf(source);
    return i === -1 ? SOURCE_ORDER.length : i;
  };
  const sorted = [...fields].sort(
    (a, b) =>
      rank(a.source) - rank(b.source) || a.source.localeCompare(b.source) || fieldLabel(a).localeCompare(fieldLabel(b))
  );
  const options: Array<ComboboxOption<string>> = sorted.map((f) => ({
    value: f.shortName,
    label: fieldLabel(f),
    description: [f.shortName, f.unit, f.granularities?.join(', ')].filter(Boolean).join(' · '),
    group: f.source || 'Other',
  }));
  const known = new Set(fields.map((f) => f.shortName));
  for (const name of selected) {
    if (!known.has(name)) {
      options.push({
        value: name,
        label: name,
        description: name.includes('$') ? 'Dashboard variable' : 'Not offered by this entity',
        group: name.includes('$') ? 'Variables' : 'Not offered',
      });
    }
  }
  return options;
}

/** selectedFieldInfos returns the FieldInfo of each selected shortName that the entity offers. */
export function selectedFieldInfos(fields: FieldInfo[], selected: string[]): FieldInfo[] {
  const byName = new Map(fields.map((f) => [f.shortName, f]));
  return selected.map((s) => byName.get(s)).filter((f): f is FieldInfo => !!f);
}

/** fieldParameters merges the parameters of the selected fields: param -> allowed values. */
export function fieldParameters(selected: FieldInfo[]): Array<{ param: string; values: string[]; fields: string[] }> {
  const merged = new Map<string, { values: Set<string>; fields: string[] }>();
  for (const f of selected) {
    for (const p of f.fieldParameters ?? []) {
      const m = merged.get(p.param) ?? { values: new Set<string>(), fields: [] };
      p.values.forEach((v) => m.values.add(v));
      m.fields.push(f.shortName);
      merged.set(p.param, m);
    }
  }
  return [...merged.entries()].map(([param, m]) => ({ param, values: [...m.values], fields: m.fields }));
}
