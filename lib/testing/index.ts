export { ClerkTestKit, type ClerkTestKitEnv, type ClerkTestKitKeys, type ClerkTestKitOptions } from './clerk-test-kit.js';
export { encodeV2Permissions, sessionClaims, signRs256, type MintOrgInput, type MintSessionTokenInput } from './token-minter.js';
export { machineJwtParts, type MintMachineJwtInput } from './token-minter.js';
export { generateWebhookSecret, signClerkWebhook, type SignWebhookOptions, type SignedWebhook } from './webhook-signer.js';
export * from './fake-clerk-api.js';
export * from './clerk-fixtures.js';
export { FakeApiTraffic, type FakeApiTrafficFront, type FakeApiTrafficOptions, type FakeApiTrafficStats } from './fake-api/rate-limit.js';
