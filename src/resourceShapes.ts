/**
 * A runtime description of the resource routes' answers, checked both ways:
 * tsc fails if it omits or invents a key of a type in ResourceResponses or
 * names the wrong kind, and a jest test (src/__tests__/drift.test.ts)
 * compares it with src/generated/resources.json, which the Go test
 * (pkg/plugin/resource_shapes_test.go) derives from the routes' responses.
 */
import { Shape } from './jsonKind';
import { ComponentInfo, FieldInfo, ResourceResponses, SiteInfo } from './types';

const site: Shape<SiteInfo> = {
  id: 'number',
  name: 'string',
  clientId: 'number',
  city: 'string',
  state: 'string',
  locationTimezone: 'string',
  latitude: 'number',
  longitude: 'number',
};

const component: Shape<Omit<ComponentInfo, 'siteName'>> = {
  id: 'number',
  name: 'string',
  siteId: 'number',
  nodeId: 'string',
  nodeType: 'string',
  oem: 'string',
  model: 'string',
  parentId: 'number',
  parentType: 'string',
  depth: 'number',
  isConceptualNode: 'boolean',
};

/** searched is a component of a query search or GET /components/{id}: named with its site. */
const searched: Shape<ComponentInfo> = { ...component, siteName: 'string' };

const field: Shape<FieldInfo> = {
  shortName: 'string',
  baseField: 'string',
  longName: 'string',
  source: 'string',
  unit: 'string',
  grafanaUnit: 'string',
  aggregation: 'string',
  granularities: 'string[]',
  fieldParameters: [{ param: 'string', values: 'string[]' }],
};

/** RESOURCE_SHAPES describes every resource route's answer. */
export const RESOURCE_SHAPES: { [R in keyof ResourceResponses]: Shape<ResourceResponses[R]> } = {
  clients: { clients: [{ id: 'number', name: 'string', email: 'string', tz: 'string' }] },
  sites: { sites: [site], total: 'number' },
  site: { site },
  siteComponents: { components: [component] },
  components: { components: [searched], total: 'number' },
  component: { component: searched },
  dataavailable: { fields: [field], ids: 'number', read: 'number', warning: 'string' },
  bulkDataavailable: { fields: [field] },
  plan: {
    refId: 'string',
    entities: [
      {
        entity: 'string',
        id: 'number',
        timeZone: 'string',
        granularity: 'string',
        auto: 'boolean',
        reason: 'string',
        offered: 'string[]',
        requests: 'number',
        from: 'string',
        to: 'string',
        interior: { granularity: 'string', start: 'string', end: 'string', chunks: 'number' },
        edges: [
          {
            fields: 'string[]',
            start: 'string',
            end: 'string',
            parts: [{ granularity: 'string', start: 'string', end: 'string', chunks: 'number' }],
          },
        ],
        omitted: [{ granularity: 'string', start: 'string', end: 'string', chunks: 'number' }],
        notices: 'string[]',
      },
    ],
    requests: 'number',
    offered: 'string[]',
    error: 'string',
    status: 'number',
  },
  timezones: { timezones: 'string[]' },
  worstSites: {
    sites: [{ id: 'number', name: 'string', performanceIndex: 'number' }],
    total: 'number',
    ranked: 'number',
    notices: 'string[]',
  },
};
