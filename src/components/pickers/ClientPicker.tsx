import { EditorField } from '@grafana/plugin-ui';
import { Combobox, ComboboxOption } from '@grafana/ui';
import React, { useMemo } from 'react';

import { LocusResources } from '../../resources';
import { selectors } from '../../selectors';
import { useResource } from '../hooks';
import { variableOptions } from './variableOptions';

interface Props {
  resources: LocusResources;
  value?: string;
  onChange: (value: string | undefined) => void;
  width?: number;
  tooltip?: string;
}

/**
 * ClientField is the labelled, optional client filter (clearable) every
 * editor uses. A failed load shows on the field, in the backend's words, as
 * the other pickers' errors do.
 */
export function ClientField({ resources, value, onChange, width, tooltip }: Props) {
  const id = selectors.query.client.id;
  const clients = useResource((sig) => resources.clients(sig), [resources]);
  const options = useMemo<Array<ComboboxOption<string>>>(
    () => [
      ...(clients.value ?? []).map((c) => ({
        value: String(c.id),
        label: c.name || `Client ${c.id}`,
        description: [`#${c.id}`, c.email, c.tz].filter(Boolean).join(' · '),
      })),
      ...variableOptions(),
    ],
    [clients.value]
  );
  const known = options.find((o) => o.value === value);
  return (
    <EditorField
      label={selectors.query.client.label}
      htmlFor={id}
      optional
      tooltip={tooltip}
      invalid={!!clients.error}
      error={clients.error && `Could not load the clients: ${clients.error}`}
    >
      <Combobox<string>
        id={id}
        data-testid={id}
        width={width ?? 30}
        loading={clients.loading}
        placeholder="All clients"
        options={options}
        value={value ? (known ?? { value, label: value }) : null}
        isClearable
        onChange={(o) => onChange(o?.value || undefined)}
      />
    </EditorField>
  );
}
