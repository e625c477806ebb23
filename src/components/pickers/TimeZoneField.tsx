import { Combobox, ComboboxOption, Stack } from '@grafana/ui';
import React, { useCallback } from 'react';

import { selectors } from '../../selectors';
import { TimeZoneMode } from '../../types';
import { LocusResources } from '../../resources';
import { INFO_VALUE, failedSearch } from './variableOptions';
import { RadioGroup } from '../fields';
import { useUnmountSignal } from '../hooks';

/** ZONE_MODES are the time zone modes, labelled. */
export const ZONE_MODES: Array<{ label: string; value: TimeZoneMode; description: string }> = [
  {
    label: 'Site local',
    value: 'site',
    description: "Buckets align to each site's own time zone (days start at local midnight)",
  },
  { label: 'Dashboard', value: 'dashboard', description: "Buckets align to the dashboard's time zone" },
  { label: 'UTC', value: 'utc', description: 'Buckets align to UTC' },
  { label: 'Named', value: 'named', description: 'Buckets align to a zone you choose' },
];

interface Props {
  resources: LocusResources;
  mode: TimeZoneMode;
  zone?: string;
  onChange: (mode: TimeZoneMode, zone: string | undefined) => void;
}

/**
 * TimeZoneField picks the zone that aligns buckets: site local (default),
 * dashboard, UTC or a named IANA zone. Named without a zone is incomplete
 * (missingParts says "Choose a zone"), so nothing runs until one is chosen.
 */
export function TimeZoneField({ resources, mode, zone, onChange }: Props) {
  const signal = useUnmountSignal();
  // Matches first (Enter takes the first real zone); a zone typed in full that the list lacks comes last.
  // The list is asked for when the menu opens (cached), so an early open never shows a stale, empty list.
  const options = useCallback(
    async (input: string): Promise<Array<ComboboxOption<string>>> => {
      let zones: string[];
      try {
        zones = await resources.timezones(signal());
      } catch (err) {
        return failedSearch(err, 'load the zones');
      }
      const needle = input.trim().toLowerCase();
      const list: Array<ComboboxOption<string>> = zones
        .filter((z) => z.toLowerCase().includes(needle))
        .map((z) => ({ value: z, label: z }));
      const typed = input.trim();
      if (/^([A-Za-z_]+\/[A-Za-z0-9_+\-/]+|UTC|\$\w+)$/.test(typed) && !list.some((o) => o.value === typed)) {
        list.push({ value: typed, label: typed, description: 'Use this IANA zone' });
      }
      return list;
    },
    [resources, signal]
  );
  return (
    <Stack gap={1} alignItems="center">
      <RadioGroup<TimeZoneMode>
        testId={selectors.query.timeZoneMode.testId}
        options={ZONE_MODES}
        value={mode}
        onChange={(m) => onChange(m, m === 'named' ? zone : undefined)}
      />
      {mode === 'named' && (
        <Combobox<string>
          id={selectors.query.timeZone.id}
          data-testid={selectors.query.timeZone.id}
          width={28}
          placeholder="Choose a zone"
          invalid={!zone}
          options={options}
          value={zone ? { value: zone, label: zone } : null}
          onChange={(o) => {
            if (o?.value && o.value !== INFO_VALUE) {
              onChange('named', o.value);
            }
          }}
        />
      )}
    </Stack>
  );
}
