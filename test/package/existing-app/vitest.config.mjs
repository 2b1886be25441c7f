export default { test: { globals: true, include: ['*.spec.mjs'], testTimeout: 30000, hookTimeout: 30000 } };
