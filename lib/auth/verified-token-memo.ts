import type { ClerkRequestAuth } from './clerk-auth.interface';

/**
 * In-process first level of the verified-token cache: a repeat request costs one Map lookup, no
 * hashing and no (possibly remote) cache round trip. Entries die with the token; the map is bounded.
 */
export class VerifiedTokenMemo {
  private readonly entries = new Map<string, ClerkRequestAuth>();

  constructor(private readonly maxEntries = 10_000) {}

  get(token: string, now = Date.now()): ClerkRequestAuth | undefined {
    const auth = this.entries.get(token);
    if (!auth) return undefined;
    if (auth.expiresAt > now) return auth;
    this.entries.delete(token);
    return undefined;
  }

  set(token: string, auth: ClerkRequestAuth): void {
    if (this.entries.size >= this.maxEntries) {
      // Evict the oldest insertion (Map keeps insertion order): cheap and good enough for 60 s tokens.
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(token, auth);
  }

  clear(): void {
    this.entries.clear();
  }
}
