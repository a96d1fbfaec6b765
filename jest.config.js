/** Jest runs TypeScript through ts-jest (transpile only; `npm run typecheck` does the types).
 *  aedes 1.x ships as ES modules, so it is transformed too. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: { allowJs: true, esModuleInterop: true, module: 'commonjs', target: 'ES2020', isolatedModules: true }, diagnostics: false }],
  },
  transformIgnorePatterns: ['node_modules/(?!(aedes)/)'],
  testTimeout: 30000,
};
