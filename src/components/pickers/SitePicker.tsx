import { Combobox, ComboboxOption } from '@grafana/ui';
import React, { useCallback } from 'react';

import type { DataSource } from '../../datasource';
import { SiteInfo } from '../../types';
import { useResource, useUnmountSignal } from '../hooks';
import { acceptableEntityValue, isIdList, variableOptions } from './variableOptions';

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

/**
 * SitePicker searches sites server-side (debounced by the Combobox), so it
 * stays fast on fleets of thousands of sites. Accepts a variable or a
 * comma-separated id list typed by hand.
 */
export function SitePicker({ datasource, id, value, onChange, clientId, width }: Props) {
  const signal = useUnmountSignal();
  const single = value && /^\d+$/.test(value) ? value : undefined;
  const label = useResource((sig) => (single ? datasource.resources.site(single, sig) : undefined), [single]);

  const loadOptions = useCallback(
    async (input: string): Promise<Array<ComboboxOption<string>>> => {
      const { sites, total } = await datasource.resources.searchSites(input, { clientId, signal: signal() });
      // The "more match" note comes first so it is seen without scrolling.
      const more: Array<ComboboxOption<string>> =
        total > sites.length
          ? [
              {
                value: '__more__',
                label: `Showing ${sites.length} of ${total} sites: ${total - sites.length} more sites match, type more of a name, city, state or id to narrow`,
                infoOption: true,
              },
            ]
          : [];
      return [
        ...more,
        ...variableOptions(input),
        ...sites.map((s) => ({
          value: String(s.id),
          label: s.name || `Site ${s.id}`,
          description: siteDescription(s),
        })),
      ];
    },
    [datasource, clientId, signal]
  );

  const current: ComboboxOption<string> | null = value
    ? { value, label: single && label.value?.name ? `${label.value.name} (#${single})` : value }
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
      createCustomValue
      customValueDescription="Use these site ids (comma-separated) or variable"
      invalid={!!value && !isIdList(value) && !value.includes('$')}
      onChange={(o) => {
        if (acceptableEntityValue(o?.value)) {
          onChange(o?.value || undefined);
        }
      }}
    />
  );
}
