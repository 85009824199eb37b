/** Test layers by file name: *.spec.ts (pure), *.int-spec.ts (a store or server), *.e2e-spec.ts (HTTP). */
const moduleNameMapper = {
  '^@kundportal/(kernel|readstore)/testing$': '<rootDir>/libs/$1/src/testing',
  '^@kundportal/(.*)$': '<rootDir>/libs/$1/src',
};
// jose and the OpenAPI validator's reference parser are published as ES modules only: let swc turn them into CommonJS for jest.
const transform = { '^.+\\.(t|j)s$': ['@swc/jest'] };
const transformIgnorePatterns = ['/node_modules/(?!(jose|@apidevtools/json-schema-ref-parser)/)'];
const common = { rootDir: __dirname, moduleNameMapper, transform, transformIgnorePatterns, testEnvironment: 'node' };

module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,test}/**/*.spec.ts'] },
    { ...common, displayName: 'integration', testMatch: ['<rootDir>/{apps,libs,test}/**/*.int-spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'] },
  ],
};
