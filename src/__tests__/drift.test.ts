import enums from '../generated/enums.json';
import resources from '../generated/resources.json';
import { ALERT_TYPES, PRIORITIES } from '../components/editors/AlertsEditor';
import { queryTypes } from '../queryTypes';
import { RESOURCE_SHAPES } from '../resourceShapes';
import {
  ALERT_SCOPES,
  ALERT_STATUSES,
  BULK_FORMATS,
  EDGE_MODES,
  GRANULARITIES,
  METADATA_KINDS,
  NODE_TYPES,
  TIME_ZONE_MODES,
} from '../types';

// The Go side (pkg/query/schema_test.go, pkg/plugin/resource_shapes_test.go)
// checks the same files against the Go values and the routes' responses.
describe('frontend/backend drift', () => {
  it('offers exactly the enum values the backend accepts', () => {
    expect({
      queryTypes: queryTypes(),
      alertTypes: ALERT_TYPES,
      priorities: PRIORITIES,
      alertStatuses: ALERT_STATUSES,
      alertScopes: ALERT_SCOPES,
      granularities: ['auto', ...GRANULARITIES],
      timeZoneModes: TIME_ZONE_MODES,
      bulkFormats: BULK_FORMATS,
      metadataKinds: METADATA_KINDS,
      nodeTypes: NODE_TYPES,
      edgeModes: EDGE_MODES,
    }).toEqual(enums);
  });

  it('types every resource answer as the backend sends it', () => {
    expect(RESOURCE_SHAPES).toEqual(resources);
  });
});
