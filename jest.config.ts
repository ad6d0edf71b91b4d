import type { Config } from 'jest';

// Tests run the TypeScript sources directly (ts-jest), so the platform app in elements/ is loaded
// from source and `require('jit-runtime')` in fixture apps maps to the same module instances.
const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  moduleNameMapper: { '^jit-runtime$': '<rootDir>/index.ts' },
  testTimeout: 30000,
  // One throwaway PostgreSQL cluster for the run (or JIT_TEST_PG_URL); see tests/helpers/postgres.ts.
  globalSetup: '<rootDir>/tests/global-setup.ts',
  globalTeardown: '<rootDir>/tests/global-teardown.ts',
  // Integration tests start servers and databases; two workers fit the 2-core machines.
  maxWorkers: 2,
  verbose: false,
};

export default config;
