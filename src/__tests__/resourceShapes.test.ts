import golden from '../generated/resource-shapes.json';
import { RESOURCE_SHAPES } from '../resourceShapes';

describe('resource answer drift', () => {
  it('matches the Go description in src/generated/resource-shapes.json', () => {
    // The Go side (pkg/query/schema_test.go) checks the same file against the Go structs.
    expect(RESOURCE_SHAPES).toEqual(golden);
  });
});
