import { Combobox, ComboboxOption } from '@grafana/ui';
import React, { useMemo } from 'react';

import type { DataSource } from '../../datasource';
import { useResource } from '../hooks';
import { variableOptions } from './variableOptions';

interface Props {
  datasource: DataSource;
  id: string;
  value?: string;
  onChange: (value: string | undefined) => void;
  width?: number;
}

/** ClientPicker offers the partner's clients (optional filter; clearable). */
export function ClientPicker({ datasource, id, value, onChange, width }: Props) {
  const clients = useResource((sig) => datasource.resources.clients(sig), [datasource]);
  const options = useMemo<Array<ComboboxOption<string>>>(
    () => [
      ...variableOptions(),
      ...(clients.value ?? []).map((c) => ({
        value: String(c.id),
        label: c.name || `Client ${c.id}`,
        description: [`#${c.id}`, c.email, c.tz].filter(Boolean).join(' · '),
      })),
    ],
    [clients.value]
  );
  const known = options.find((o) => o.value === value);
  return (
    <Combobox<string>
      id={id}
      data-testid={id}
      width={width ?? 30}
      loading={clients.loading}
      placeholder={clients.error ? `Clients unavailable: ${clients.error}` : 'All clients'}
      options={options}
      value={value ? (known ?? { value, label: value }) : null}
      isClearable
      createCustomValue
      onChange={(o) => onChange(o?.value || undefined)}
    />
  );
}
