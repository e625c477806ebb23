import golden from '../generated/query-model.json';
import { QUERY_MODEL_KEYS } from '../queryModelKeys';
import { queryTypes } from '../queryTypes';

describe('query model drift', () => {
  it('matches the Go model description in src/generated/query-model.json', () => {
    // The Go side (pkg/query/schema_test.go) checks the same file against the Go structs.
    expect(QUERY_MODEL_KEYS).toEqual(golden);
  });

  it('covers every query type the editors offer', () => {
    expect(Object.keys(QUERY_MODEL_KEYS).sort()).toEqual(queryTypes().sort());
  });
});
