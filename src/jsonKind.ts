/**
 * The JSON kind of a TypeScript type, for the runtime descriptions that the
 * drift tests compare with what the Go side generates (queryModelKeys.ts,
 * resourceShapes.ts): tsc checks each description against the type it
 * describes, so neither can omit, invent or mistype a key.
 */

/** Kind is a type's JSON kind: a scalar name, 'string[]', 'record' (string map), a nested Shape or [element Shape]. */
export type Kind<T> = [T] extends [string[]]
  ? 'string[]'
  : [T] extends [string]
    ? 'string'
    : [T] extends [number]
      ? 'number'
      : [T] extends [boolean]
        ? 'boolean'
        : [T] extends [Record<string, string>]
          ? 'record'
          : [T] extends [Array<infer E>]
            ? [Shape<E>]
            : [T] extends [object]
              ? Shape<T>
              : never;

/** Shape describes an object type: every key (required) with its kind. */
export type Shape<T> = { [K in keyof T]-?: Kind<NonNullable<T[K]>> };
