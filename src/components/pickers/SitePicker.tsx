import { Combobox, ComboboxOption } from '@grafana/ui';
import React, { useCallback } from 'react';

import type { DataSource } from '../../datasource';
import { isAbortError, resourceErrorMessage } from '../../resources';
import { SiteInfo } from '../../types';
import { useResource, useUnmountSignal } from '../hooks';
import { acceptableEntityValue, isIdList, typedValueOptions, variableOptions } from './variableOptions';

interface Props {
  datasource: DataSource;
  id: string;
  value?: string;
  onChange: (value: string | undefined) => void;
  /** Only sites of this client. */
  clientId?: string;
  width?: number;
}

/** siteDescription is the secondary line of a site option. */
export function siteDescription(s: SiteInfo): string {
  const place = [s.city, s.state].filter(Boolean).join(', ');
  return [`#${s.id}`, place, s.locationTimezone].filter(Boolean).join(' · ');
}

/** siteOptionLabel is how a chosen site reads in the box: "Solar Farm 0042 (#1041)". */
export function siteOptionLabel(s: Pick<SiteInfo, 'id' | 'name'>): string {
  return `${s.name || `Site ${s.id}`} (#${s.id})`;
}

/** INFO_VALUE is the value of the "nothing matches" and error rows (never stored: acceptableEntityValue refuses it). */
const INFO_VALUE = '__info__';

/**
 * SitePicker searches sites server-side (debounced by the Combobox), so it
 * stays fast on fleets of thousands of sites. The sites that match come
 * first, so Enter picks the first real match; an id list or a variable typed
 * by hand is offered as such; nothing matching, a capped list and a failed
 * search each say so in the menu, with the backend's own words.
 */
export function SitePicker({ datasource, id, value, onChange, clientId, width }: Props) {
  const signal = useUnmountSignal();
  const single = value && /^\d+$/.test(value) ? value : undefined;
  const label = useResource((sig) => (single ? datasource.resources.site(single, sig) : undefined), [single]);

  const loadOptions = useCallback(
    async (input: string): Promise<Array<ComboboxOption<string>>> => {
      let sites: SiteInfo[];
      let total: number;
      try {
        ({ sites, total } = await datasource.resources.searchSites(input, { clientId, signal: signal() }));
      } catch (err) {
        if (isAbortError(err)) {
          throw err;
        }
        return [{ value: INFO_VALUE, label: `Could not search sites: ${resourceErrorMessage(err)}`, infoOption: true }];
      }
      const group =
        total > sites.length
          ? `Showing ${sites.length} of ${total} sites: type more of a name, city, state or id to narrow`
          : undefined;
      const siteOptions = sites.map((s) => ({
        value: String(s.id),
        label: s.name || `Site ${s.id}`,
        description: siteDescription(s),
        group,
      }));
      const typed = typedValueOptions(input, 'site', (v) => sites.some((s) => String(s.id) === v));
      const vars = variableOptions(input);
      const options = input.trim().startsWith('$')
        ? [...typed, ...vars, ...siteOptions]
        : [...typed, ...siteOptions, ...vars];
      if (!options.length) {
        return [
          {
            value: INFO_VALUE,
            label: `No sites match "${input.trim()}"${clientId ? ' in this client' : ''}: type part of a name, city, state or id`,
            infoOption: true,
          },
        ];
      }
      return options;
    },
    [datasource, clientId, signal]
  );

  const current: ComboboxOption<string> | null = value
    ? { value, label: single && label.value ? siteOptionLabel(label.value) : value }
    : null;

  return (
    <Combobox<string>
      id={id}
      data-testid={id}
      width={width ?? 40}
      placeholder="Search sites by name, city, state or id"
      options={loadOptions}
      value={current}
      isClearable
      invalid={!!value && !isIdList(value) && !value.includes('$')}
      onChange={(o) => {
        if (acceptableEntityValue(o?.value)) {
          onChange(o?.value || undefined);
        }
      }}
    />
  );
}
