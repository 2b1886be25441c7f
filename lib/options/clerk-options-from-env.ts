import type { ClerkUsersModuleOptions } from './clerk-users-options.interface.js';
import type { ClerkTokenType } from '../auth/clerk-auth.interface.js';
import { ClerkUsersConfigurationError } from './resolve-options.js';
import { PLACEHOLDER_KEYS } from './clerk-keys.js';

type Env = Record<string, string | undefined>;

function text(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  if (!value) return undefined;
  if (PLACEHOLDER_KEYS.has(value)) throw new ClerkUsersConfigurationError(name, 'is a placeholder value; set a real key or leave it unset');
  return value.replace(/\\n/g, '\n');
}

function list(env: Env, name: string): string[] | undefined {
  const value = env[name];
  if (value === undefined) return undefined;
  return value.split(',').map((item) => item.trim()).filter(Boolean);
}

function seconds(env: Env, name: string): number | undefined {
  const value = env[name]?.trim();
  if (!value) return undefined;
  if (!/^\d+$/.test(value)) throw new ClerkUsersConfigurationError(name, 'must be a whole number of seconds');
  return Number(value);
}

/** A comma list such as `session_token,m2m_token` (or `any`); `resolveClerkUsersOptions` validates the names. */
function acceptedTokens(env: Env, name: string): ClerkUsersModuleOptions['acceptsToken'] {
  const names = list(env, name);
  if (!names?.length) return undefined;
  return names.length === 1 && names[0] === 'any' ? 'any' : (names as ClerkTokenType[]);
}

/**
 * Maps the django-clerk-users setting names onto module options. `CLERK_AUTH_PARTIES` wins over
 * `CLERK_FRONTEND_HOSTS` when defined; `CLERK_WEBHOOK_DEDUP_TIMEOUT` (seconds) becomes the
 * idempotency retention in hours.
 */
export function clerkOptionsFromEnv(env: Env = process.env): ClerkUsersModuleOptions {
  const options: ClerkUsersModuleOptions = {
    secretKey: text(env, 'CLERK_SECRET_KEY'),
    publishableKey: text(env, 'CLERK_PUBLISHABLE_KEY'),
    jwtKey: text(env, 'CLERK_JWT_KEY'),
    apiUrl: text(env, 'CLERK_API_URL'),
    authorizedParties: list(env, 'CLERK_AUTH_PARTIES') ?? list(env, 'CLERK_FRONTEND_HOSTS'),
    webhookSigningSecret: text(env, 'CLERK_WEBHOOK_SIGNING_KEY'),
    sessionRevalidationSeconds: seconds(env, 'CLERK_SESSION_REVALIDATION_SECONDS'),
    cacheTtlSeconds: seconds(env, 'CLERK_CACHE_TIMEOUT'),
    orgCacheTtlSeconds: seconds(env, 'CLERK_ORG_CACHE_TIMEOUT'),
    acceptsToken: acceptedTokens(env, 'CLERK_ACCEPTS_TOKEN'),
  };
  const dedupSeconds = seconds(env, 'CLERK_WEBHOOK_DEDUP_TIMEOUT');
  if (dedupSeconds !== undefined) options.webhookEventRetentionHours = dedupSeconds / 3600;
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as ClerkUsersModuleOptions;
}
