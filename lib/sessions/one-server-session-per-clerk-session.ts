import { Logger } from '@nestjs/common';
import type { ClerkCacheService } from '../cache/clerk-cache.service.js';
import { serverSessionOfClerkSessionKey } from '../cache/cache-keys.js';
import { CLERK_SERVER_SESSION_KEY } from './sessions.constants.js';
import { destroyStoredSession, serverSessionIdOf, serverSessionStoreOf, storedSession } from './server-session-access.js';
import type { ServerSessionLike } from './server-session.interface.js';

/**
 * At most one server session per Clerk session id: the one the newest verified cookie token of that
 * Clerk session started. Starting another (the same token without the session cookie, over and
 * over) removes the previous one from the session store, so one token cannot fill the store. The
 * link lives in the module's cache (shared by instances when the cache is); a lost link leaves at
 * most one more session, which its short first lifetime ends.
 */
export class OneServerSessionPerClerkSession {
  private readonly logger = new Logger('ClerkSessions');

  constructor(private readonly cache: ClerkCacheService) {}

  /** Records `session` as the server session of `clerkSessionId` for `ttlMs`, and removes the one it replaces. */
  async claim(request: object, session: ServerSessionLike, clerkSessionId: string, ttlMs: number): Promise<void> {
    const id = serverSessionIdOf(session);
    const store = serverSessionStoreOf(request);
    if (!id || !store) return;
    const key = serverSessionOfClerkSessionKey(clerkSessionId);
    const previous = await this.cache.get<{ id: string }>(key);
    await this.cache.set(key, { id }, ttlMs);
    if (!previous || typeof previous.id !== 'string' || previous.id === id) return;
    try {
      // Only while it still holds this Clerk session: a session signed out since keeps the app's data.
      const stored = await storedSession(store, previous.id);
      const state = stored?.[CLERK_SERVER_SESSION_KEY] as { method?: unknown; sessionId?: unknown } | undefined;
      if (state?.method === 'clerk' && state.sessionId === clerkSessionId) await destroyStoredSession(store, previous.id);
    } catch (error) {
      this.logger.warn(`could not remove the previous server session of a Clerk session (${(error as Error).message})`);
    }
  }

  /** Keeps the link for `ttlMs` more (a confirmed session lives longer than a new one). */
  async extend(session: ServerSessionLike, clerkSessionId: string, ttlMs: number): Promise<void> {
    const id = serverSessionIdOf(session);
    if (!id) return;
    const key = serverSessionOfClerkSessionKey(clerkSessionId);
    const current = await this.cache.get<{ id: string }>(key);
    // A newer server session of the same Clerk session took over meanwhile: the link stays with it.
    if (!current || current.id === id) await this.cache.set(key, { id }, ttlMs);
  }
}
