import type { Config } from 'jest';

// Force UTC so tests behave the same whatever the machine's zone.
process.env.TZ = 'UTC';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const base = require('./.config/jest.config');
const swc = base.transform['^.+\\.(t|j)sx?$'];

const config: Config = {
  // Jest configuration provided by Grafana scaffolding
  ...base,
  // Some ESM-only dependencies of @grafana/data (d3-color) ship .mjs files.
  transform: { ...base.transform, '^.+\\.mjs$': swc },
  // The editors render the real @grafana/ui; on a busy 2-core machine a render can take seconds.
  testTimeout: 60000,
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/src/test/'],
  // Tests and the modules they import live in src/: crawl only that (not
  // dist/, tests/.artifacts or .cache/, which hold other copies of @grafana/*).
  roots: ['<rootDir>/src'],
};

export default config;
