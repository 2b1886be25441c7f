import { Logger } from '@nestjs/common';
import type { ClerkUsersModuleOptions } from './clerk-users-options.interface.js';
import type { ClerkTokenType } from './token-types.js';
import { ClerkUsersConfigurationError } from './configuration.error.js';
import { isPlaceholderKey, normaliseKeyText } from './clerk-keys.js';
import type { ClerkImpersonationPolicy } from './impersonation.js';
import type { ClerkPasswordHasher } from './migration-options.js';

type Env = Record<string, string | undefined>;

function text(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

/** A key or secret: `\n` escapes unescaped; a placeholder is an error, never "auth off". */
function key(env: Env, name: string): string | undefined {
  const value = text(env, name);
  if (value === undefined) return undefined;
  if (isPlaceholderKey(value)) throw new ClerkUsersConfigurationError(name, 'is a placeholder value; set a real key or leave it unset');
  return normaliseKeyText(value);
}

function list(env: Env, name: string): string[] | undefined {
  const value = env[name];
  if (value === undefined) return undefined;
  return value.split(',').map((item) => item.trim()).filter(Boolean);
}

function wholeNumber(env: Env, name: string, unit: string): number | undefined {
  const value = env[name]?.trim();
  if (!value) return undefined;
  if (!/^\d+$/.test(value)) throw new ClerkUsersConfigurationError(name, `must be a whole number of ${unit}`);
  return Number(value);
}

/** A comma list such as `session_token,m2m_token` (or `any`); `resolveClerkUsersOptions` validates the names. */
function acceptedTokens(env: Env, name: string): ClerkUsersModuleOptions['acceptsToken'] {
  const names = list(env, name);
  if (!names?.length) return undefined;
  return names.length === 1 && names[0] === 'any' ? 'any' : (names as ClerkTokenType[]);
}

/** `true`/`1`/`yes`/`on` or `false`/`0`/`no`/`off` (any case); unset or empty: `undefined`. */
function flag(env: Env, name: string): boolean | undefined {
  const value = text(env, name)?.toLowerCase();
  if (value === undefined) return undefined;
  if (['true', '1', 'yes', 'on'].includes(value)) return true;
  if (['false', '0', 'no', 'off'].includes(value)) return false;
  throw new ClerkUsersConfigurationError(name, 'must be true or false');
}

/** The seed's `CLERK_AUTO_GENERATE_USERNAME` (+ `_PREFIX`); a prefix alone does not turn it on. */
function autoGenerateUsername(env: Env): ClerkUsersModuleOptions['autoGenerateUsername'] {
  if (!flag(env, 'CLERK_AUTO_GENERATE_USERNAME')) return undefined;
  const prefix = text(env, 'CLERK_AUTO_GENERATE_USERNAME_PREFIX');
  return prefix === undefined ? true : { prefix };
}

/**
 * Clerk's own name `CLERK_WEBHOOK_SIGNING_SECRET` wins over the django-clerk-users name
 * `CLERK_WEBHOOK_SIGNING_KEY`; when both are set to different values the older one is ignored,
 * with a warning naming both (never their values).
 */
function webhookSigningSecret(env: Env): string | undefined {
  const clerkName = key(env, 'CLERK_WEBHOOK_SIGNING_SECRET');
  const seedName = key(env, 'CLERK_WEBHOOK_SIGNING_KEY');
  if (clerkName !== undefined && seedName !== undefined && clerkName !== seedName) {
    new Logger('ClerkUsersModule').warn('CLERK_WEBHOOK_SIGNING_SECRET and CLERK_WEBHOOK_SIGNING_KEY differ; using CLERK_WEBHOOK_SIGNING_SECRET');
  }
  return clerkName ?? seedName;
}

/**
 * Maps the django-clerk-users setting names (and Clerk's `CLERK_WEBHOOK_SIGNING_SECRET`) onto module
 * options. `CLERK_AUTH_PARTIES` wins over `CLERK_FRONTEND_HOSTS` when defined;
 * `CLERK_WEBHOOK_DEDUP_TIMEOUT` (seconds) becomes the idempotency retention in hours, which never
 * goes below 72 (a lower value is replaced by the floor, with one warning at boot).
 */
export function clerkOptionsFromEnv(env: Env = process.env): ClerkUsersModuleOptions {
  const options: ClerkUsersModuleOptions = {
    secretKey: key(env, 'CLERK_SECRET_KEY'),
    publishableKey: key(env, 'CLERK_PUBLISHABLE_KEY'),
    jwtKey: key(env, 'CLERK_JWT_KEY'),
    apiUrl: text(env, 'CLERK_API_URL'),
    apiTimeoutMs: wholeNumber(env, 'CLERK_API_TIMEOUT_MS', 'milliseconds'),
    authorizedParties: list(env, 'CLERK_AUTH_PARTIES') ?? list(env, 'CLERK_FRONTEND_HOSTS'),
    webhookSigningSecret: webhookSigningSecret(env),
    sessionRevalidationSeconds: wholeNumber(env, 'CLERK_SESSION_REVALIDATION_SECONDS', 'seconds'),
    cacheTtlSeconds: wholeNumber(env, 'CLERK_CACHE_TIMEOUT', 'seconds'),
    orgCacheTtlSeconds: wholeNumber(env, 'CLERK_ORG_CACHE_TIMEOUT', 'seconds'),
    acceptsToken: acceptedTokens(env, 'CLERK_ACCEPTS_TOKEN'),
    cacheKeyPrefix: text(env, 'CLERK_CACHE_KEY_PREFIX'),
    // Validated with the other options (`allow` or `deny`).
    impersonation: text(env, 'CLERK_IMPERSONATION') as ClerkImpersonationPolicy | undefined,
    autoGenerateUsername: autoGenerateUsername(env),
  };
  const passwordHasher = text(env, 'CLERK_MIGRATION_PASSWORD_HASHER');
  if (passwordHasher !== undefined) options.migration = { passwordHasher: passwordHasher as ClerkPasswordHasher };
  const dedupSeconds = wholeNumber(env, 'CLERK_WEBHOOK_DEDUP_TIMEOUT', 'seconds');
  if (dedupSeconds !== undefined) options.webhookEventRetentionHours = dedupSeconds / 3600;
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as ClerkUsersModuleOptions;
}
