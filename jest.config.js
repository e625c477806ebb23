// force timezone to UTC to allow tests to work regardless of local timezone
// generally used by snapshots, but can affect specific tests
process.env.TZ = 'UTC';

const base = require('./.config/jest.config');
const swc = base.transform['^.+\\.(t|j)sx?$'];

module.exports = {
  // Jest configuration provided by Grafana scaffolding
  ...base,
  // Some ESM-only dependencies of @grafana/data (d3-color) ship .mjs files.
  transform: { ...base.transform, '^.+\\.mjs$': swc },
  // The editors render the real @grafana/ui; on a busy 2-core machine a render can take seconds.
  testTimeout: 60000,
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/src/test/'],
};
