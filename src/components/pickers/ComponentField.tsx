import { ComboboxOption } from '@grafana/ui';
import React, { useCallback, useMemo } from 'react';
import { getTemplateSrv } from '@grafana/runtime';

import { firstId } from '../../interpolate';
import { ComponentInfo } from '../../types';
import { useResource, useUnmountSignal } from '../hooks';
import { humanNodeType } from '../../nodeTypes';
import { selectors } from '../../selectors';
import { EntityField } from './EntityField';
import { LocusResources } from '../../resources';
import { entityMenu, failedSearch, infoOption, typedValueOptions, variableOptions } from './variableOptions';

/** ComponentTree is a site's components as loaded by useComponentTree. */
export interface ComponentTree {
  /** The site id the tree belongs to (first id of the interpolated siteId), if any. */
  site?: string;
  components: ComponentInfo[];
  loading: boolean;
  error?: string;
}

/** useComponentTree loads the component tree of the (first) site of siteId, cancelling on change and unmount. */
export function useComponentTree(resources: LocusResources, siteId: string | undefined): ComponentTree {
  const site = firstId(siteId, getTemplateSrv());
  const tree = useResource((sig) => (site ? resources.components(site, sig) : undefined), [site]);
  const components = useMemo(() => (site ? (tree.value ?? []) : []), [site, tree.value]);
  return { site, components, loading: tree.loading, error: tree.error };
}

interface Props {
  resources: LocusResources;
  /**
   * The chosen site's tree (useComponentTree; a load error shows on the field); without a site,
   * components are searched partner-wide by name, type, node ID, OEM, model or site.
   */
  tree: ComponentTree;
  value?: string;
  onChange: (componentId: string | undefined) => void;
  optional?: boolean;
  tooltip?: string;
}

/** MAX_OPTIONS bounds how many components one search shows (the list is virtualised, this keeps filtering cheap). */
const MAX_OPTIONS = 500;

/** componentLabel indents a component under its parent. */
export function componentLabel(c: ComponentInfo): string {
  const depth = c.depth ?? 0;
  const indent = depth > 0 ? '\u00a0\u00a0\u00a0'.repeat(depth - 1) + '└\u00a0' : '';
  return `${indent}${c.name || `Component ${c.id}`}`;
}

/** componentDescription shows node type (in words), OEM, model, node ID, id and, from a partner-wide search, the site. */
export function componentDescription(c: ComponentInfo): string {
  const make = [c.oem, c.model].filter(Boolean).join(' ');
  return [c.siteName, humanNodeType(c.nodeType), make, c.nodeId ? `node ${c.nodeId}` : '', `#${c.id}`]
    .filter(Boolean)
    .join(' · ');
}

/** matchesComponent searches name, node ID, node type (raw and in words), OEM, model and id; every word must match. */
export function matchesComponent(c: ComponentInfo, search: string): boolean {
  const words = search.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const hay = [c.name, c.nodeId, c.nodeType, humanNodeType(c.nodeType), c.oem, c.model, String(c.id)]
    .map((s) => (s ?? '').toLowerCase())
    .join('\u0000');
  return words.every((w) => hay.includes(w));
}

/**
 * ComponentField is the labelled component search every editor uses. It offers a site's component tree (indented by depth), or
 * without a site searches the partner's components by name, node ID, type,
 * OEM, model or site name. Matches come first, so Enter picks the first real
 * one; an id list or variable typed by hand is offered as such; nothing
 * matching and a failed search say so in the menu.
 */
export function ComponentField({ resources, tree, value, onChange, optional, tooltip }: Props) {
  const signal = useUnmountSignal();
  const { site, components } = tree;
  const known = value ? components.find((c) => String(c.id) === value) : undefined;
  // A component chosen elsewhere (a switch from another query type) is named by asking for it.
  const single = value && /^\d+$/.test(value) && !known && !tree.loading ? value : undefined;
  const lookedUp = useResource((sig) => (single ? resources.component(single, sig) : undefined), [single]);

  const loadOptions = useCallback(
    async (input: string): Promise<Array<ComboboxOption<string>>> => {
      let list: ComponentInfo[];
      let total: number;
      if (site) {
        list = components.filter((c) => matchesComponent(c, input));
        total = list.length;
      } else if (input.trim().length >= 2) {
        try {
          ({ components: list, total } = await resources.searchComponents(input, signal()));
        } catch (err) {
          return failedSearch(err, 'search components');
        }
      } else {
        return [
          ...typedValueOptions(input, 'component', () => false),
          ...variableOptions(input),
          infoOption('Choose a site, or type 2+ characters of a component name, type or node ID'),
        ];
      }
      const shown = list.slice(0, MAX_OPTIONS);
      const group =
        total > shown.length ? `Showing ${shown.length} of ${total} components: type more to narrow` : undefined;
      const componentOptions = shown.map((c) => ({
        value: String(c.id),
        // A partner-wide search is a flat list: only the site's tree is indented.
        label: site ? componentLabel(c) : c.name || `Component ${c.id}`,
        description: componentDescription(c),
        group,
      }));
      return entityMenu(
        input,
        'component',
        componentOptions,
        `No components ${site ? 'on this site' : 'in the partner'} match "${input.trim()}": type part of a name, type, node ID, OEM or model`
      );
    },
    [site, components, resources, signal]
  );

  const named = known ?? lookedUp.value;
  return (
    <EntityField
      // Re-create the options when the tree arrives, so an open menu shows it.
      key={`${site ?? 'partner'}-${components.length}`}
      selector={selectors.query.component}
      value={value}
      valueLabel={named ? `${named.name} (#${named.id})` : undefined}
      onChange={onChange}
      options={loadOptions}
      placeholder={site ? 'Search by name, type, node ID, OEM or model' : 'Search components by name, type or node ID'}
      loading={tree.loading}
      optional={optional}
      tooltip={tooltip}
      error={tree.error && `Could not load the site's components: ${tree.error}`}
    />
  );
}
