/** Jest runs TypeScript through ts-jest (transpile only; `npm run typecheck` does the types).
 *  aedes 1.x ships as ES modules, so it is transformed too. test/bench (each bench runs and
 *  prints its figures; nothing about the module) is left out of `npm test`: `npm run test:bench`. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/bench/'],
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: { allowJs: true, esModuleInterop: true, module: 'commonjs', target: 'ES2020', isolatedModules: true }, diagnostics: false }],
  },
  transformIgnorePatterns: ['node_modules/(?!(aedes)/)'],
  testTimeout: 30000,
};
