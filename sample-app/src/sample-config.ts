import { join } from 'node:path';
import { clerkOptionsFromEnv, type ClerkUsersModuleOptions } from 'nestjs-clerk-users';
import { startClerkEmulator, type ClerkEmulator } from './emulator/clerk-emulator';

export const DATA_DIR = process.env.SAMPLE_DATA_DIR ?? join(__dirname, '..', '.data');

/** Real Clerk when keys are configured; otherwise the offline emulator. Never both. */
export interface SampleClerk {
  options: ClerkUsersModuleOptions;
  emulator: ClerkEmulator | null;
  publishableKey: string | null;
}

export async function resolveClerk(port: number): Promise<SampleClerk> {
  const fromEnv = clerkOptionsFromEnv();
  if (fromEnv.secretKey || fromEnv.jwtKey) {
    return { options: fromEnv, emulator: null, publishableKey: fromEnv.publishableKey ?? null };
  }
  const emulator = await startClerkEmulator(join(DATA_DIR, 'emulator-keys.json'), `http://127.0.0.1:${port}`);
  return {
    options: emulator.kit.moduleOptions({ authorizedParties: [`http://127.0.0.1:${port}`, `http://localhost:${port}`] }),
    emulator,
    publishableKey: null,
  };
}
