import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ClerkTestKit, type ClerkTestKitKeys, type FakeClerkApi } from 'nestjs-clerk-users/testing';
import { SEED_MEMBERSHIPS, SEED_ORGANIZATIONS, SEED_USERS } from './seed.js';

/** The offline stand-in for a Clerk instance: the test kit's keys (kept across runs) and its fake Backend API. */
export interface ClerkEmulator {
  kit: ClerkTestKit;
  api: FakeClerkApi;
  close(): Promise<void>;
}

/** Loads (or creates once) the emulator's keys, so tokens and webhook signatures survive restarts. */
async function loadKit(keysFile: string, authorizedParty: string): Promise<ClerkTestKit> {
  if (existsSync(keysFile)) {
    const keys = JSON.parse(readFileSync(keysFile, 'utf8')) as ClerkTestKitKeys;
    return ClerkTestKit.create({ ...keys, authorizedParty });
  }
  const kit = await ClerkTestKit.create({ frontendApi: 'sample-emulator.clerk.accounts.dev', authorizedParty });
  mkdirSync(dirname(keysFile), { recursive: true });
  writeFileSync(keysFile, JSON.stringify(kit.exportKeys(), null, 2), { mode: 0o600 });
  return kit;
}

export async function startClerkEmulator(keysFile: string, authorizedParty: string): Promise<ClerkEmulator> {
  const kit = await loadKit(keysFile, authorizedParty);
  const api = await kit.startFakeApi();
  for (const [i, user] of SEED_USERS.entries()) api.addUser({ ...user, createdAt: 1_700_000_000_000 + i, updatedAt: 1_700_000_000_000 + i });
  for (const [i, org] of SEED_ORGANIZATIONS.entries()) api.addOrganization({ ...org, createdAt: 1_700_000_000_000 + i, updatedAt: 1_700_000_000_000 + i });
  for (const membership of SEED_MEMBERSHIPS) api.addMembership(membership);
  return { kit, api, close: () => kit.close() };
}
