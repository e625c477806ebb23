/** Pure helpers about dataavailable fields: options, granularities, parameters. */
import { ComboboxOption } from '@grafana/ui';

import { FieldInfo } from '../../types';

/** SOURCE_ORDER is the order of field groups in the picker. */
export const SOURCE_ORDER = ['Measured', 'Modeled', 'Expected'];

/** fieldLabel is a field's name in the picker and in notices: "AC Power (Modeled, avg)", naming its source, so a
 * measured field and its modeled or expected twin (W_avg, W_m_avg) never read the same. */
export function fieldLabel(f: FieldInfo): string {
  const qualifiers = [f.source, f.aggregation].filter(Boolean).join(', ');
  return qualifiers ? `${f.longName || f.baseField} (${qualifiers})` : f.longName || f.baseField;
}

/** NOT_OFFERED_SUFFIX marks a chosen field the current entity does not offer (kept, flagged, not silently dropped). */
export const NOT_OFFERED_SUFFIX = 'not offered here';

/** notOffered lists the chosen fields (not variables) that the entity's dataavailable does not list. */
export function notOffered(fields: FieldInfo[], selected: string[]): string[] {
  const known = new Set(fields.map((f) => f.shortName));
  return selected.filter((s) => !known.has(s) && !s.includes('$'));
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
      const variable = name.includes('$');
      options.push({
        value: name,
        label: variable ? name : `${name} (${NOT_OFFERED_SUFFIX})`,
        description: variable ? 'Dashboard variable' : 'Not offered by this entity: remove it',
        group: variable ? 'Variables' : 'Not offered',
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

/** PARAM_LABELS words the (deprecated) field parameters for people. */
const PARAM_LABELS: Record<string, string> = {
  modelType: 'Model type',
  irradianceSource: 'Irradiance source',
  inverterClipping: 'Inverter clipping',
};

/** paramLabel is a field parameter's label: "Model type" for modelType, the name itself when unknown. */
export function paramLabel(param: string): string {
  return PARAM_LABELS[param] ?? param;
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
