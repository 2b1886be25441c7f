import { IsArray, IsBoolean, IsInt, IsNumber, IsOptional, IsString, IsUrl, Max, Min, validateSync } from 'class-validator';
import { ClerkUsersConfigurationError } from './configuration.error.js';
import { resolveCacheKeyPrefix } from './cache-key-prefix.js';
import { DEFAULT_API_TIMEOUT_MS, DEFAULT_CLERK_API_URL, DEFAULT_WEBHOOK_MAX_BYTES, MAX_API_TIMEOUT_MS } from './defaults.js';
import { frontendApiFromPublishableKey, jwtKeyProblem, normaliseKeyText, publishableKeyProblem, secretKeyProblem, webhookSecretProblem } from './clerk-keys.js';
import type { ClerkUsersModuleOptions, ResolvedClerkUsersOptions } from './clerk-users-options.interface.js';
import { resolveLocalAuthOptions } from './local-auth-options.js';
import { webhookEventRetentionHours } from './webhook-retention.js';
import { CLERK_TOKEN_TYPES, isMachineTokenType, type ClerkTokenType } from './token-types.js';
import type { ClerkLocalAuthOptions } from './local-auth-options.js';
import { resolveImpersonation } from './impersonation.js';
import { resolveAutoGenerateUsername, resolveMigrationOptions } from './migration-options.js';

class OptionsShape {
  @IsOptional() @IsString() secretKey?: unknown;
  @IsOptional() @IsString() publishableKey?: unknown;
  @IsOptional() @IsString() jwtKey?: unknown;
  @IsOptional() @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] }) apiUrl?: unknown;
  @IsOptional() @IsInt() @Min(1) @Max(MAX_API_TIMEOUT_MS) apiTimeoutMs?: unknown;
  @IsOptional() @IsArray() @IsString({ each: true }) authorizedParties?: unknown;
  @IsOptional() @IsString() webhookSigningSecret?: unknown;
  @IsOptional() @IsInt() @Min(0) sessionRevalidationSeconds?: unknown;
  @IsOptional() @IsBoolean() sessions?: unknown;
  @IsOptional() @IsInt() @Min(0) cacheTtlSeconds?: unknown;
  @IsOptional() @IsInt() @Min(0) orgCacheTtlSeconds?: unknown;
  @IsOptional() @IsInt() @Min(0) @Max(300) clockSkewSeconds?: unknown;
  @IsOptional() @IsNumber() @Min(0) webhookEventRetentionHours?: unknown;
  @IsOptional() @IsBoolean() linkExistingUsersByEmail?: unknown;
  @IsOptional() @IsInt() @Min(1) webhookMaxBytes?: unknown;
}

function checkShape(options: ClerkUsersModuleOptions): void {
  const shape = Object.assign(new OptionsShape(), pickShape(options));
  const [first] = validateSync(shape, { forbidUnknownValues: false });
  if (first) {
    const problem = Object.values(first.constraints ?? {})[0] ?? 'is invalid';
    throw new ClerkUsersConfigurationError(first.property, problem.replace(new RegExp(`^${first.property}\\s*`), ''));
  }
}

function pickShape(options: ClerkUsersModuleOptions): Partial<OptionsShape> {
  const { cache: _cache, issuer: _issuer, audience: _audience, acceptsToken: _accepts, migration: _migration, autoGenerateUsername: _usernames, ...rest } = options;
  return rest;
}

function checkKey(option: string, value: string | undefined, problemOf: (v: string) => string | null): void {
  if (value === undefined) return;
  const problem = problemOf(value);
  if (problem) throw new ClerkUsersConfigurationError(option, problem);
}

const KEY_OPTIONS = ['secretKey', 'publishableKey', 'jwtKey', 'webhookSigningSecret'] as const;

/**
 * Keys from any source (forRoot, a forRootAsync factory reading ConfigService, `clerkOptionsFromEnv`)
 * get the same treatment: `\n` escapes of a one-line PEM become line breaks, whitespace around goes.
 */
function normaliseKeys(options: ClerkUsersModuleOptions): ClerkUsersModuleOptions {
  const normalised = { ...options };
  for (const name of KEY_OPTIONS) {
    const value = normalised[name];
    if (typeof value === 'string') normalised[name] = normaliseKeyText(value) || undefined;
  }
  return normalised;
}

function normaliseParty(party: string): string {
  const withScheme = party.includes('://') ? party : `https://${party}`;
  try {
    return new URL(withScheme).origin;
  } catch {
    throw new ClerkUsersConfigurationError('authorizedParties', 'must hold origins such as https://app.example.com');
  }
}

function resolveIssuer(options: ClerkUsersModuleOptions): string[] | undefined {
  if (options.issuer === false) return undefined;
  if (typeof options.issuer === 'string') return [options.issuer];
  if (Array.isArray(options.issuer)) return options.issuer;
  const frontendApi = options.publishableKey ? frontendApiFromPublishableKey(options.publishableKey) : null;
  return frontendApi ? [`https://${frontendApi}`] : undefined;
}

const ACCEPTS_TOKEN_PROBLEM = `must be "any", one of ${CLERK_TOKEN_TYPES.map((t) => `"${t}"`).join(', ')} or a non-empty array of them`;

function resolveAcceptsToken(options: ClerkUsersModuleOptions): ClerkTokenType[] {
  const value: unknown = options.acceptsToken ?? 'session_token';
  const named = value === 'any' ? CLERK_TOKEN_TYPES : typeof value === 'string' ? [value] : value;
  if (!Array.isArray(named) || named.length === 0 || !named.every((type) => CLERK_TOKEN_TYPES.includes(type as ClerkTokenType))) {
    throw new ClerkUsersConfigurationError('acceptsToken', ACCEPTS_TOKEN_PROBLEM);
  }
  const accepted = CLERK_TOKEN_TYPES.filter((type) => named.includes(type));
  if (accepted.some(isMachineTokenType) && !options.secretKey) {
    throw new ClerkUsersConfigurationError('acceptsToken', 'names machine tokens, which need "secretKey": Clerk verifies them through the Backend API');
  }
  return accepted;
}

/** What `resolveClerkUsersOptions` needs of the module's extras (decided when the module is imported). */
export interface ResolvedExtrasInput {
  localAuth?: ClerkLocalAuthOptions;
  /** Whether a Clerk guard is registered as `APP_GUARD`. */
  globalGuard?: boolean;
}

/** Applies defaults and validates every option; throws `ClerkUsersConfigurationError` on the first problem. */
export function resolveClerkUsersOptions(given: ClerkUsersModuleOptions, extras: ResolvedExtrasInput = {}): ResolvedClerkUsersOptions {
  const globalGuard = extras.globalGuard ?? true;
  if (given === null || typeof given !== 'object') throw new ClerkUsersConfigurationError('options', 'must be an object');
  checkShape(given);
  const options = normaliseKeys(given);
  checkKey('secretKey', options.secretKey, secretKeyProblem);
  checkKey('publishableKey', options.publishableKey, publishableKeyProblem);
  checkKey('jwtKey', options.jwtKey, jwtKeyProblem);
  checkKey('webhookSigningSecret', options.webhookSigningSecret, webhookSecretProblem);
  if (!options.jwtKey && !options.secretKey) {
    throw new ClerkUsersConfigurationError('jwtKey', 'or "secretKey" must be set: tokens cannot be verified without one of them');
  }
  const localAuth = resolveLocalAuthOptions(extras.localAuth);
  if ((options.sessions || localAuth) && !options.authorizedParties?.length) {
    throw new ClerkUsersConfigurationError('authorizedParties', 'must list your frontend origins when "sessions" or "localAuth" is on: cookie-authenticated unsafe requests are checked against them (CSRF)');
  }
  return {
    secretKey: options.secretKey,
    publishableKey: options.publishableKey,
    jwtKey: options.jwtKey,
    apiUrl: (options.apiUrl ?? DEFAULT_CLERK_API_URL).replace(/\/+$/, ''),
    apiTimeoutMs: options.apiTimeoutMs ?? DEFAULT_API_TIMEOUT_MS,
    authorizedParties: (options.authorizedParties ?? []).map(normaliseParty),
    webhookSigningSecret: options.webhookSigningSecret,
    sessionRevalidationSeconds: options.sessionRevalidationSeconds ?? 300,
    sessions: options.sessions ?? false,
    localAuth,
    cacheTtlSeconds: options.cacheTtlSeconds ?? 300,
    orgCacheTtlSeconds: options.orgCacheTtlSeconds ?? 900,
    clockSkewSeconds: options.clockSkewSeconds ?? 5,
    globalGuard,
    webhookEventRetentionHours: webhookEventRetentionHours(options.webhookEventRetentionHours),
    webhookMaxBytes: options.webhookMaxBytes ?? DEFAULT_WEBHOOK_MAX_BYTES,
    issuer: resolveIssuer(options),
    audience: options.audience,
    acceptsToken: resolveAcceptsToken(options),
    linkExistingUsersByEmail: options.linkExistingUsersByEmail ?? true,
    cache: options.cache,
    cacheKeyPrefix: resolveCacheKeyPrefix(options.cacheKeyPrefix),
    impersonation: resolveImpersonation(options.impersonation),
    migration: resolveMigrationOptions(options.migration),
    autoGenerateUsername: resolveAutoGenerateUsername(options.autoGenerateUsername),
  };
}
