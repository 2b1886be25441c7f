import { createHash } from 'node:crypto';
import type { ClerkCacheService } from '../cache/clerk-cache.service.js';
import { tokenCacheKey } from '../cache/cache-keys.js';
import { SingleFlight } from '../common/single-flight.js';
import { WriteOrderMemo } from '../cache/write-order-memo.js';

/** A verification result that may carry an expiry (epoch ms; `null`: the token never expires). */
export interface ExpiringVerification {
  expiresAt: number | null;
}

/** Until when each verification result may be trusted without verifying its token again (epoch ms). */
const trustedUntil = new WeakMap<object, number>();

/**
 * Until when a verification result from a {@link VerifiedTokenCache} may be trusted: what a
 * long-lived connection uses for a token that never expires (an API key), so a revoked one stops
 * working once its cached verification would have been renewed.
 */
export function verificationTrustedUntil(value: object): number | undefined {
  return trustedUntil.get(value);
}

/**
 * Verification results of one kind of token, kept until the token expires and at most `maxTtlMs`:
 * in process keyed by the token itself (a repeat request costs one Map lookup, no hashing), and in
 * the shared cache keyed by its SHA-256 (raw tokens are never stored there) under `scope`, a
 * fingerprint of the verification settings so a settings change is never answered from an old entry.
 */
export class VerifiedTokenCache<V extends ExpiringVerification> {
  private readonly memo = new WriteOrderMemo<V>(10_000);
  private readonly flights = new SingleFlight<string, V>();

  constructor(
    private readonly cache: ClerkCacheService,
    private readonly scope: string,
    private readonly maxTtlMs: number,
  ) {}

  /** Fingerprint of verification settings, for `scope`. */
  static scopeOf(settings: unknown): string {
    return createHash('sha256').update(JSON.stringify(settings)).digest('base64url').slice(0, 12);
  }

  /** The in-process result (synchronous: the warm path pays no promise). */
  remembered(token: string): V | undefined {
    return this.memo.get(token);
  }

  /** The shared-cache result (another instance may have verified the token), remembered in process. */
  async shared(token: string): Promise<V | undefined> {
    const cached = await this.cache.get<V>(this.keyOf(token));
    const ttl = cached ? this.ttlOf(cached) : 0;
    if (!cached || ttl <= 0) return undefined;
    this.memo.set(token, cached, ttl);
    this.noteTrust(cached, ttl);
    return cached;
  }

  /**
   * `verify()` once for every concurrent caller with `token` (one Clerk call, not one per request);
   * the flight is forgotten once it settles, so a failure is never kept.
   */
  once(token: string, verify: () => Promise<V>): Promise<V> {
    return this.flights.run(token, verify);
  }

  async remember(token: string, value: V): Promise<void> {
    const ttl = this.ttlOf(value);
    this.noteTrust(value, ttl);
    if (ttl <= 0) return;
    this.memo.set(token, value, ttl);
    await this.cache.set(this.keyOf(token), value, ttl);
  }

  /** Like {@link remember}, in process only: for a result cheaper to compute again than to read from the shared cache. */
  rememberLocally(token: string, value: V): void {
    const ttl = this.ttlOf(value);
    this.noteTrust(value, ttl);
    if (ttl > 0) this.memo.set(token, value, ttl);
  }

  /**
   * Records until when a result without an expiry may be trusted ({@link verificationTrustedUntil});
   * one with an expiry is trusted until then and needs no record (a WeakMap entry per fresh session
   * token was GC work on every cold request for nothing).
   */
  private noteTrust(value: V, ttl: number): void {
    if (value.expiresAt === null) trustedUntil.set(value, Date.now() + Math.max(ttl, 0));
  }

  private ttlOf(value: V): number {
    return value.expiresAt === null ? this.maxTtlMs : Math.min(value.expiresAt - Date.now(), this.maxTtlMs);
  }

  private keyOf(token: string): string {
    return tokenCacheKey(this.scope, createHash('sha256').update(token).digest('base64url'));
  }
}
