export { ClerkTestKit, type ClerkTestKitKeys, type ClerkTestKitOptions } from './clerk-test-kit';
export { encodeV2Permissions, sessionClaims, signRs256, type MintOrgInput, type MintSessionTokenInput } from './token-minter';
export { machineJwtParts, type MintMachineJwtInput } from './token-minter';
export { generateWebhookSecret, signClerkWebhook, type SignWebhookOptions, type SignedWebhook } from './webhook-signer';
export * from './fake-clerk-api';
export * from './clerk-fixtures';
