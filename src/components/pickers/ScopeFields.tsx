import { EditorField } from '@grafana/plugin-ui';
import React from 'react';

import { LocusResources } from '../../resources';
import { selectors } from '../../selectors';
import { ClientField } from './ClientPicker';
import { ComponentField, useComponentTree } from './ComponentField';
import { NodeTypePicker } from './NodeTypePicker';
import { SiteField } from './SiteField';

/** Scope is what narrows a list of Locus entities: a client's sites, a site's components or fields. */
export interface Scope {
  clientId?: string;
  siteId?: string;
  componentId?: string;
  nodeType?: string;
}

/** ScopedKind is a list the scope fields narrow (metadata tables and variable lists). */
export type ScopedKind = 'clients' | 'sites' | 'worstSites' | 'components' | 'installinfo' | 'modelsettings' | 'fields';

interface Props {
  resources: LocusResources;
  kind: ScopedKind;
  scope: Scope;
  onChange: (patch: Scope) => void;
  /** The component field's tooltip (fields of a component). */
  componentTooltip?: string;
}

/**
 * ScopeFields are the fields a list of `kind` is narrowed by: the client of
 * sites (and of the worst sites), the site of components, install info, model settings and fields
 * (optional for fields: a component's fields need no site), the node type of
 * components, the component of fields.
 */
export function ScopeFields({ resources, kind, scope, onChange, componentTooltip }: Props) {
  const tree = useComponentTree(resources, kind === 'components' || kind === 'fields' ? scope.siteId : undefined);
  const needsSite = kind !== 'clients' && kind !== 'sites' && kind !== 'worstSites';
  return (
    <>
      {(kind === 'sites' || kind === 'worstSites') && (
        <ClientField resources={resources} value={scope.clientId} onChange={(clientId) => onChange({ clientId })} />
      )}
      {needsSite && (
        <SiteField
          resources={resources}
          value={scope.siteId}
          onChange={(siteId) => onChange({ siteId })}
          optional={kind === 'fields'}
        />
      )}
      {kind === 'components' && (
        <EditorField label={selectors.query.nodeType.label} htmlFor={selectors.query.nodeType.id} optional>
          <NodeTypePicker
            id={selectors.query.nodeType.id}
            components={tree.components}
            value={scope.nodeType}
            onChange={(nodeType) => onChange({ nodeType })}
          />
        </EditorField>
      )}
      {kind === 'fields' && (
        <ComponentField
          resources={resources}
          tree={tree}
          value={scope.componentId}
          onChange={(componentId) => onChange({ componentId })}
          optional
          tooltip={componentTooltip}
        />
      )}
    </>
  );
}
