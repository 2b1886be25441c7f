import type { JsonWebKey } from 'node:crypto';
import { ClerkApiTimeoutError } from '../clerk-client/clerk-api-deadline.js';
import { DEFAULT_RETRY_AFTER_SECONDS } from '../clerk-client/clerk-client.constants.js';
import { clerkRetryAfterSeconds } from '../clerk-client/clerk-api-unavailable.exception.js';
import { ClerkTokenRejectedError } from './token-rejected.error.js';
import { importClerkJwk, type ClerkVerificationKey } from './clerk-verification-key.js';

/**
 * The shape of a Clerk signing key id: the instance id, `ins_` + a base62 id (the Backend API's
 * `JWKS.rsa.PublicKey` schema; `@clerk/backend` fixtures). Underscores and up to 64 characters leave
 * room for longer ids. A kid that does not match is never worth a JWKS fetch; it is still accepted if
 * the JWKS Clerk serves lists it, so a wrong guess here cannot lock out real tokens once keys are loaded.
 */
export const CLERK_KID_PATTERN = /^ins_[0-9A-Za-z_]{1,64}$/;

/** A successful fetch is trusted this long, as `@clerk/backend` does (5 minutes); then it is fetched again. */
export const JWKS_MAX_AGE_MS = 5 * 60_000;
/** After a successful fetch, an unknown kid waits this long before it may cause another one. */
export const JWKS_MIN_REFRESH_INTERVAL_MS = 60_000;
/** After Clerk answered with an error and no `Retry-After`, no fetch for as long as the 503 tells clients to wait. */
const FAILURE_BACKOFF_MS = DEFAULT_RETRY_AFTER_SECONDS * 1000;
/** Kids found missing from the JWKS that are remembered (the oldest are forgotten first). */
export const MAX_REMEMBERED_UNKNOWN_KIDS = 1_000;
/** A kid found missing is not worth a fetch for this long, even when the minute allows one. */
const UNKNOWN_KID_MEMORY_MS = 10 * 60_000;

/** One JWK as `GET /v1/jwks` lists it. */
type Jwk = JsonWebKey & { kid?: unknown };

/** Thrown when Clerk answered the JWKS fetch with no signing keys. */
export class ClerkJwksEmptyError extends Error {
  readonly reason = 'jwk-remote-failed-to-load';
  constructor() {
    super('The Clerk JWKS lists no signing keys');
    this.name = 'ClerkJwksEmptyError';
  }
}

/**
 * The signing keys of one Clerk instance, fetched from the Backend API by `load`, so that a token with
 * an unknown `kid` cannot make every request fetch the JWKS (as `verifyToken` does): malformed kids are
 * refused without a fetch, at most one fetch is in flight, a fetch that succeeded is followed by the
 * next one no sooner than a minute later, kids found missing are remembered (bounded) and refused
 * until they expire. A real new kid after a key rotation is served by the next fetch any request
 * causes; while one is in flight, every request with an unknown kid waits for it rather than fetching.
 * Each key is imported once per fetch (a `KeyObject`, see {@link importClerkJwk}), not once per token.
 */
export class ClerkJwksKeySet {
  private keys = new Map<string, ClerkVerificationKey>();
  private loadedAt = Number.NEGATIVE_INFINITY;
  private nextFetchAt = 0;
  private lastFailure: unknown;
  private inFlight: Promise<void> | undefined;
  /** kid → when it was found missing; insertion order is age order, so the first entry goes first. */
  private readonly unknownKids = new Map<string, number>();
  private warnedAboutShape = false;

  constructor(
    private readonly load: () => Promise<{ keys?: readonly object[] } | null | undefined>,
    private readonly warn: (message: string) => void = () => undefined,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /**
   * The key for `kid`; throws `ClerkTokenRejectedError` when the JWKS does not have it, or the
   * fetch's error when the JWKS could not be had (neither trusted nor refused).
   */
  async keyFor(kid: unknown): Promise<ClerkVerificationKey> {
    if (typeof kid !== 'string' || !kid) throw new ClerkTokenRejectedError('jwk-kid-missing');
    const known = this.fresh() ? this.keys.get(kid) : undefined;
    if (known) return known;
    if (!CLERK_KID_PATTERN.test(kid)) throw new ClerkTokenRejectedError('jwk-kid-malformed');

    if (this.inFlight || (this.mayFetch() && (!this.fresh() || !this.rememberedUnknown(kid)))) {
      const failed = await this.refresh();
      if (failed !== undefined && !this.fresh()) throw failed;
      const key = this.fresh() ? this.keys.get(kid) : undefined;
      if (key) return key;
      // Clerk did not answer: this fetch says nothing about the kid (503); later requests get a 401
      // from the keys still held, or wait for the next fetch.
      if (failed !== undefined) throw failed;
      this.rememberUnknown(kid);
      throw new ClerkTokenRejectedError('jwk-kid-mismatch');
    }
    if (this.fresh()) throw new ClerkTokenRejectedError('jwk-kid-mismatch');
    // No keys to judge by and no fetch allowed yet: Clerk failed moments ago.
    throw this.lastFailure ?? new ClerkJwksEmptyError();
  }

  /** The key for `kid` when it is loaded and fresh, synchronously (a fresh token's usual case: no promise); else `undefined`, and {@link keyFor} decides. */
  knownKey(kid: unknown): ClerkVerificationKey | undefined {
    return typeof kid === 'string' && this.fresh() ? this.keys.get(kid) : undefined;
  }

  private fresh(): boolean {
    return this.now() - this.loadedAt < JWKS_MAX_AGE_MS;
  }

  private mayFetch(): boolean {
    return this.now() >= this.nextFetchAt;
  }

  /** Joins the fetch in flight or starts one; resolves to its error if it failed. */
  private async refresh(): Promise<unknown> {
    this.inFlight ??= this.fetchKeys().finally(() => {
      this.inFlight = undefined;
    });
    await this.inFlight;
    return this.lastFailure;
  }

  private async fetchKeys(): Promise<void> {
    try {
      const jwks = await this.load();
      const keys = ((jwks?.keys ?? []) as Jwk[]).filter((key): key is Jwk & { kid: string } => typeof key?.kid === 'string');
      if (!keys.length) throw new ClerkJwksEmptyError();
      const imported = await Promise.all(keys.map((key) => importClerkJwk(key.kid, key)));
      this.keys = new Map(imported.map((key) => [key.kid, key]));
      this.loadedAt = this.now();
      this.nextFetchAt = this.loadedAt + JWKS_MIN_REFRESH_INTERVAL_MS;
      this.lastFailure = undefined;
      for (const kid of this.keys.keys()) this.unknownKids.delete(kid);
      this.warnIfUnexpectedShape();
    } catch (error) {
      this.lastFailure = error;
      // A fetch that timed out already cost apiTimeoutMs and at most one is in flight, so the next may
      // start at once (a Clerk that comes back is used at once); an answer that was an error waits.
      const backoff = error instanceof ClerkApiTimeoutError ? 0 : Math.min((clerkRetryAfterSeconds(error) ?? FAILURE_BACKOFF_MS / 1000) * 1000, JWKS_MIN_REFRESH_INTERVAL_MS);
      this.nextFetchAt = this.now() + backoff;
    }
  }

  private rememberedUnknown(kid: string): boolean {
    const since = this.unknownKids.get(kid);
    if (since === undefined) return false;
    if (this.now() - since < UNKNOWN_KID_MEMORY_MS) return true;
    this.unknownKids.delete(kid);
    return false;
  }

  private rememberUnknown(kid: string): void {
    this.unknownKids.delete(kid);
    this.unknownKids.set(kid, this.now());
    while (this.unknownKids.size > MAX_REMEMBERED_UNKNOWN_KIDS) {
      const oldest = this.unknownKids.keys().next().value as string;
      this.unknownKids.delete(oldest);
    }
  }

  /** Says once if Clerk serves kids the pattern would refuse before keys are loaded. */
  private warnIfUnexpectedShape(): void {
    if (this.warnedAboutShape) return;
    const odd = [...this.keys.keys()].filter((kid) => !CLERK_KID_PATTERN.test(kid));
    if (!odd.length) return;
    this.warnedAboutShape = true;
    this.warn(`the Clerk JWKS lists ${odd.length} key id(s) not shaped like ins_…; tokens with them are accepted only while the JWKS is loaded`);
  }
}
