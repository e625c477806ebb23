import { Combobox, ComboboxOption } from '@grafana/ui';
import React, { useCallback, useMemo } from 'react';
import { getTemplateSrv } from '@grafana/runtime';

import type { DataSource } from '../../datasource';
import { firstId } from '../../interpolate';
import { ComponentInfo } from '../../types';
import { useResource, useUnmountSignal } from '../hooks';
import { acceptableEntityValue, isIdList, variableOptions } from './variableOptions';

/** ComponentTree is a site's components as loaded by useComponentTree. */
export interface ComponentTree {
  /** The site id the tree belongs to (first id of the interpolated siteId), if any. */
  site?: string;
  components: ComponentInfo[];
  loading: boolean;
  error?: string;
}

/** useComponentTree loads the component tree of the (first) site of siteId, cancelling on change and unmount. */
export function useComponentTree(datasource: DataSource, siteId: string | undefined): ComponentTree {
  const site = firstId(siteId, getTemplateSrv());
  const tree = useResource((sig) => (site ? datasource.resources.components(site, sig) : undefined), [site]);
  const components = useMemo(() => (site ? (tree.value ?? []) : []), [site, tree.value]);
  return { site, components, loading: tree.loading, error: tree.error };
}

interface Props {
  datasource: DataSource;
  id: string;
  /** The site's tree; without a site, components are searched partner-wide by node ID. */
  tree: ComponentTree;
  value?: string;
  onChange: (value: string | undefined) => void;
  width?: number;
}

/** MAX_OPTIONS bounds how many components one search shows (the list is virtualised, this keeps filtering cheap). */
const MAX_OPTIONS = 500;

/** componentLabel indents a component under its parent. */
export function componentLabel(c: ComponentInfo): string {
  const depth = c.depth ?? 0;
  const indent = depth > 0 ? '\u00a0\u00a0\u00a0'.repeat(depth - 1) + '└\u00a0' : '';
  return `${indent}${c.name || `Component ${c.id}`}`;
}

/** componentDescription shows node type, OEM, model and node ID. */
export function componentDescription(c: ComponentInfo): string {
  const make = [c.oem, c.model].filter(Boolean).join(' ');
  return [c.nodeType, make, c.nodeId ? `node ${c.nodeId}` : '', `#${c.id}`].filter(Boolean).join(' · ');
}

/** matchesComponent searches name, node ID, node type, OEM, model and id. */
export function matchesComponent(c: ComponentInfo, search: string): boolean {
  const needle = search.trim().toLowerCase();
  if (!needle) {
    return true;
  }
  return [c.name, c.nodeId, c.nodeType, c.oem, c.model, String(c.id)].some((s) =>
    (s ?? '').toLowerCase().includes(needle)
  );
}

/** ComponentPicker offers a site's component tree (indented by depth), searchable by name and node ID. */
export function ComponentPicker({ datasource, id, tree, value, onChange, width }: Props) {
  const signal = useUnmountSignal();
  const { site, components } = tree;

  const loadOptions = useCallback(
    async (input: string): Promise<Array<ComboboxOption<string>>> => {
      let list: ComponentInfo[];
      let total: number;
      if (site) {
        list = components.filter((c) => matchesComponent(c, input));
        total = list.length;
      } else if (input.trim().length >= 2) {
        ({ components: list, total } = await datasource.resources.componentsByNodeId(
          `%${input.trim()}%`,
          signal(),
          MAX_OPTIONS
        ));
      } else {
        return [
          ...variableOptions(input),
          { value: '__hint__', label: 'Choose a site, or type 2+ characters of a node ID', infoOption: true },
        ];
      }
      // The "more match" note comes first so it is seen without scrolling.
      const more: Array<ComboboxOption<string>> =
        total > MAX_OPTIONS
          ? [{ value: '__more__', label: `Showing ${MAX_OPTIONS} of ${total}: type to narrow`, infoOption: true }]
          : [];
      return [
        ...more,
        ...variableOptions(input),
        ...list.slice(0, MAX_OPTIONS).map((c) => ({
          value: String(c.id),
          label: componentLabel(c),
          description: componentDescription(c),
        })),
      ];
    },
    [site, components, datasource, signal]
  );

  const known = value ? components.find((c) => String(c.id) === value) : undefined;
  const current: ComboboxOption<string> | null = value
    ? { value, label: known ? `${known.name} (#${known.id})` : value }
    : null;

  return (
    <Combobox<string>
      // Re-create the options when the tree arrives, so an open menu shows it.
      key={`${site ?? 'partner'}-${components.length}`}
      id={id}
      data-testid={id}
      width={width ?? 40}
      loading={tree.loading}
      placeholder={site ? 'Search by name, node ID, type, OEM or model' : 'Search components by node ID'}
      options={loadOptions}
      value={current}
      isClearable
      createCustomValue
      customValueDescription="Use these component ids (comma-separated) or variable"
      invalid={!!value && !isIdList(value) && !value.includes('$')}
      onChange={(o) => {
        if (acceptableEntityValue(o?.value)) {
          onChange(o?.value || undefined);
        }
      }}
    />
  );
}
