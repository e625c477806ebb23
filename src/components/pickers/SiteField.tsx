import { ComboboxOption } from '@grafana/ui';
import React, { useCallback } from 'react';

import { LocusResources } from '../../resources';
import { SiteInfo } from '../../types';
import { useResource, useUnmountSignal } from '../hooks';
import { selectors } from '../../selectors';
import { EntityField } from './EntityField';
import { entityMenu, failedSearch } from './variableOptions';

interface Props {
  resources: LocusResources;
  value?: string;
  onChange: (siteId: string | undefined) => void;
  /** Only sites of this client. */
  clientId?: string;
  optional?: boolean;
  tooltip?: string;
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

/**
 * SiteField is the labelled site search every editor uses. It searches sites server-side (debounced by the Combobox), so it
 * stays fast on fleets of thousands of sites. The sites that match come
 * first, so Enter picks the first real match; an id list or a variable typed
 * by hand is offered as such; nothing matching, a capped list and a failed
 * search each say so in the menu, with the backend's own words.
 */
export function SiteField({ resources, value, onChange, clientId, optional, tooltip }: Props) {
  const signal = useUnmountSignal();
  const single = value && /^\d+$/.test(value) ? value : undefined;
  const label = useResource((sig) => (single ? resources.site(single, sig) : undefined), [single]);

  const loadOptions = useCallback(
    async (input: string): Promise<Array<ComboboxOption<string>>> => {
      let sites: SiteInfo[];
      let total: number;
      try {
        ({ sites, total } = await resources.searchSites(input, { clientId, signal: signal() }));
      } catch (err) {
        return failedSearch(err, 'search sites');
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
      return entityMenu(
        input,
        'site',
        siteOptions,
        `No sites match "${input.trim()}"${clientId ? ' in this client' : ''}: type part of a name, city, state or id`
      );
    },
    [resources, clientId, signal]
  );

  return (
    <EntityField
      selector={selectors.query.site}
      value={value}
      valueLabel={single && label.value ? siteOptionLabel(label.value) : undefined}
      onChange={onChange}
      options={loadOptions}
      placeholder="Search sites by name, city, state or id"
      optional={optional}
      tooltip={tooltip}
    />
  );
}
