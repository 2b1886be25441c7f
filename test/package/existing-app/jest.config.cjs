// Jest in native ESM mode (NODE_OPTIONS=--experimental-vm-modules), as Nest 12's ESM-only packages need on Node 20.
module.exports = { testEnvironment: 'node', testMatch: ['**/*.spec.mjs'], transform: {}, testTimeout: 30000 };
