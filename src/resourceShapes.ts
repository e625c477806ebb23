/**
 * A runtime description of the resource answers the Go query engine defines,
 * checked both ways: tsc fails if it omits or invents a key of the TypeScript
 * type or names the wrong kind, and a jest test compares it with
 * src/generated/resource-shapes.json, which the Go test
 * (pkg/query/schema_test.go, TestResourceShapesMatchFrontendGolden) compares
 * with the Go structs.
 */
import { PlanInfo } from './types';

/**
 * ShapeKind maps a TypeScript property type to its JSON kind: a list of
 * objects is a one-element tuple of the element's shape, an object its shape
 * (times are RFC 3339 strings).
 */
type ShapeKind<T> = [T] extends [string[]]
  ? 'string[]'
  : [T] extends [string]
    ? 'string'
    : [T] extends [number]
      ? 'number'
      : [T] extends [boolean]
        ? 'boolean'
        : [T] extends [Array<infer E>]
          ? [Shape<E>]
          : [T] extends [object]
            ? Shape<T>
            : never;

/** Shape describes every key of T (required) with its kind. */
export type Shape<T> = { [K in keyof T]-?: ShapeKind<NonNullable<T[K]>> };

/** RESOURCE_SHAPES describes the answer of each resource, by name. */
export const RESOURCE_SHAPES: { plan: Shape<PlanInfo> } = {
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
};
