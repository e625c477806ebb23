import golden from '../generated/resource-shapes.json';
import { RESOURCE_SHAPES } from '../resourceShapes';

describe('resource answer drift', () => {
  it('describes /plan as the Go structs do (src/generated/resource-shapes.json)', () => {
    // The Go side (pkg/query/schema_test.go) checks the same file against the Go structs;
    // src/__tests__/drift.test.ts checks every route against the routes' real answers.
    expect(RESOURCE_SHAPES.plan).toEqual(golden.plan);
  });
});
