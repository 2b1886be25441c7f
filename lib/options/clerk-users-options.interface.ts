import type { Cache } from 'cache-manager';
import type { ClerkTokenType } from './token-types.js';
import type { ResolvedLocalAuthOptions } from './local-auth-options.js';
import type { ClerkImpersonationPolicy } from './impersonation.js';

export type { ClerkImpersonationPolicy } from './impersonation.js';
import type { ClerkAutoGenerateUsernameOptions, ClerkMigrationOptions, ClerkPasswordHasher, ResolvedAutoGenerateUsername } from './migration-options.js';

/** Options of `ClerkUsersModule.forRoot()` / the factory of `forRootAsync()`. */
export interface ClerkUsersModuleOptions {
  /** Backend API secret key (`sk_test_…` / `sk_live_…`): JWKS, first-login profile fetch, API client. */
  secretKey?: string;
  /** Publishable key (`pk_test_…` / `pk_live_…`); when set, the token `iss` must be its Frontend API. */
  publishableKey?: string;
  /** PEM public key (2048-bit RSA, SPKI) for networkless token verification. */
  jwtKey?: string;
  /** Backend API origin. Default `https://api.clerk.com`. */
  apiUrl?: string;
  /** Longest wait for one Backend API call (first-request lookup, sync, health check, the injected client), in ms. Default 10000. */
  apiTimeoutMs?: number;
  /** Origins allowed in the token's `azp` claim. Empty: no `azp` check. */
  authorizedParties?: string[];
  /** Svix signing secret of the webhook endpoint (`whsec_…`). */
  webhookSigningSecret?: string;
  /** How often a server session re-checks its Clerk session, in seconds. Default 300. */
  sessionRevalidationSeconds?: number;
  /**
   * Keep a verified Clerk session in the app's server session (express-session / @fastify/session):
   * cookie requests then need a token only every `sessionRevalidationSeconds`. Default `false`.
   */
  sessions?: boolean;
  /** Lifetime of cached users (and upper bound of cached tokens), in seconds. Default 300. */
  cacheTtlSeconds?: number;
  /** Lifetime of cached organizations and memberships, in seconds. Default 900. */
  orgCacheTtlSeconds?: number;
  /** Clock skew tolerated on `exp`/`nbf`/`iat`, in seconds. Default 5. */
  clockSkewSeconds?: number;
  /** Hours processed webhook ids are kept for idempotency. Default and minimum 72 (past Svix's whole retry schedule). */
  webhookEventRetentionHours?: number;
  /** Largest accepted webhook body in bytes (413 above). Default 1 MiB. */
  webhookMaxBytes?: number;
  /** Expected token issuer(s). Default: derived from `publishableKey`; `false` disables the check. */
  issuer?: string | string[] | false;
  /** Expected `aud` when tokens carry one. */
  audience?: string | string[];
  /**
   * Token kinds the module verifies: `session_token` (default), and opt-in machine tokens `m2m_token`,
   * `api_key`, `oauth_token` (or `any`). Machine tokens pass only on `@RequireMachine()`/`@AllowMachine()` routes.
   */
  acceptsToken?: ClerkTokenType | readonly ClerkTokenType[] | 'any';
  /** Link a new Clerk identity to an existing local row with the same verified email (safe rows only). Default `true`. */
  linkExistingUsersByEmail?: boolean;
  /** A cache-manager `Cache` (e.g. Redis-backed) shared by instances. Default: the app's `CacheModule` if registered, else a process-local map. */
  cache?: Cache;
  /**
   * Put at the head of every shared-cache key (1–64 letters, digits or `. _ : -`), e.g. to tell
   * environments apart on one Redis; keys are scoped to the Clerk instance and the app's tables anyway.
   */
  cacheKeyPrefix?: string;
  /** Impersonated sessions (Clerk's `act` claim) on routes without `@AllowImpersonation()`/`@DenyImpersonation()`: `'allow'` (default) or `'deny'` (403). */
  impersonation?: ClerkImpersonationPolicy;
  /** How `migrate-users-to-clerk` moves local rows into Clerk (the format of their password hashes). */
  migration?: ClerkMigrationOptions;
  /** Give users Clerk has no username for a generated one, once (`true` or `{ prefix, pushToClerk }`). Default off. */
  autoGenerateUsername?: boolean | ClerkAutoGenerateUsernameOptions;
}

/** Options after defaults and validation. */
export interface ResolvedClerkUsersOptions {
  secretKey?: string;
  publishableKey?: string;
  jwtKey?: string;
  apiUrl: string;
  apiTimeoutMs: number;
  authorizedParties: string[];
  webhookSigningSecret?: string;
  sessionRevalidationSeconds: number;
  sessions: boolean;
  /** `null` when password logins are off. */
  localAuth: ResolvedLocalAuthOptions | null;
  cacheTtlSeconds: number;
  orgCacheTtlSeconds: number;
  clockSkewSeconds: number;
  /** Whether a Clerk guard is registered as `APP_GUARD` (the `globalGuard` extra). */
  globalGuard: boolean;
  webhookEventRetentionHours: number;
  webhookMaxBytes: number;
  issuer?: string[];
  audience?: string | string[];
  /** Accepted token kinds, without duplicates, in `CLERK_TOKEN_TYPES` order. */
  acceptsToken: ClerkTokenType[];
  linkExistingUsersByEmail: boolean;
  cache?: Cache;
  cacheKeyPrefix?: string;
  impersonation: ClerkImpersonationPolicy;
  migration: { passwordHasher: ClerkPasswordHasher | null };
  /** `null` when off. */
  autoGenerateUsername: ResolvedAutoGenerateUsername | null;
}
