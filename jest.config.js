// Two projects: pure unit specs beside the code, and e2e specs that boot the real app over real
// HTTP on a real database (SQLite by default; MariaDB when TEST_DATABASE_URL=mysql://...).
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }] };

module.exports = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      rootDir: __dirname,
      roots: ['<rootDir>/src'],
      testMatch: ['**/*.spec.ts'],
      transform,
      setupFiles: ['reflect-metadata'],
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      rootDir: __dirname,
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.e2e-spec.ts'],
      transform,
      setupFiles: ['reflect-metadata'],
    },
  ],
  maxWorkers: 2,
  testTimeout: 60000,
};
