import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { clerkOptionsFromEnv, type ClerkUsersModuleOptions } from 'nestjs-clerk-users';
import { startClerkEmulator, type ClerkEmulator } from './emulator/clerk-emulator.js';
import { assertEmulatorAllowed } from './emulator/emulator-guards.js';

export const DATA_DIR = process.env.SAMPLE_DATA_DIR ?? join(import.meta.dirname, '..', '.data');

/**
 * Real Clerk when keys are configured; otherwise the offline emulator, only with no `CLERK_*`
 * variable set and the embedded database (`SampleStartRefused` otherwise). Never both.
 */
export interface SampleClerk {
  options: ClerkUsersModuleOptions;
  emulator: ClerkEmulator | null;
  publishableKey: string | null;
}

/** The origins the sample's own page is served from: Clerk's `azp` check and the CSRF check of the server sessions. */
export function sampleOrigins(port: number): string[] {
  return [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
}

/** Session tokens, plus M2M tokens where a secret key lets the module verify them with Clerk. */
function acceptedTokens(fromEnv: ClerkUsersModuleOptions): ClerkUsersModuleOptions['acceptsToken'] {
  return fromEnv.acceptsToken ?? (fromEnv.secretKey ? ['session_token', 'm2m_token'] : 'session_token');
}

export async function resolveClerk(port: number): Promise<SampleClerk> {
  const fromEnv = clerkOptionsFromEnv();
  if (fromEnv.secretKey || fromEnv.jwtKey) {
    return {
      options: { ...fromEnv, authorizedParties: fromEnv.authorizedParties?.length ? fromEnv.authorizedParties : sampleOrigins(port), acceptsToken: acceptedTokens(fromEnv) },
      emulator: null,
      publishableKey: fromEnv.publishableKey ?? null,
    };
  }
  assertEmulatorAllowed();
  const emulator = await startClerkEmulator(join(DATA_DIR, 'emulator-keys.json'), `http://127.0.0.1:${port}`);
  return {
    options: emulator.kit.moduleOptions({ authorizedParties: sampleOrigins(port), acceptsToken: ['session_token', 'm2m_token'] }),
    emulator,
    publishableKey: null,
  };
}

/** The secret that signs the server-session cookie: `SESSION_SECRET`, or a throw-away one for the emulator. */
export function sessionSecret(emulator: boolean): string {
  const fromEnv = process.env.SESSION_SECRET?.trim();
  if (fromEnv) return fromEnv;
  if (emulator) return randomBytes(32).toString('base64url');
  throw new Error('SESSION_SECRET is not set: with real Clerk keys the sample needs a secret (32+ random characters) to sign its session cookie');
}
