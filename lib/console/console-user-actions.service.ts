import { BadRequestException, ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { Repository } from 'typeorm';
import { CLERK_RESOLVED_OPTIONS, CLERK_USER_REPOSITORY } from '../clerk-users.constants.js';
import type { ResolvedClerkUsersOptions } from '../options/clerk-users-options.interface.js';
import type { AbstractClerkUser } from '../users/abstract-clerk-user.entity.js';
import { ClerkAccountsService } from '../accounts/clerk-accounts.service.js';
import { ConsoleAudit, type ConsoleAuditAction } from './console-audit.service.js';
import { userLabel, type ConsoleActor } from './console-actor.js';
import { consoleClerkError } from './console-clerk-errors.js';
import { ConsoleUserResync } from './console-user-resync.service.js';

/** What the Clerk actions report back: the local flags after them (a ban deactivates the row at once). */
export interface ConsoleActionResult {
  action: ConsoleAuditAction;
  user: { id: string; clerkId: string; isActive: boolean };
  /** `revoke-sessions`: how many sessions Clerk ended. */
  revokedSessions?: number;
  /** `resync`: what the upsert did (`updated`, `unchanged`, `stale`…). */
  outcome?: string;
}

/** `POST <path>/api/users/:id/sign-in-link`: shown once to the staff member, never stored or logged. */
export interface ConsoleSignInLink {
  url: string;
  expiresAt: Date;
}

/** Body of `sign-in-link`. */
export interface ConsoleSignInLinkRequest {
  /** Absolute URL of the app page that completes the sign-in; its origin must be one of `authorizedParties`. */
  redirectUrl: string;
  /** 60 to 86,400; default 900 (15 minutes). */
  expiresInSeconds?: number;
}

const SYNCED = ['email', 'username', 'firstName', 'lastName', 'isActive'] as const;
const snapshot = (user: AbstractClerkUser) => Object.fromEntries(SYNCED.map((key) => [key, user[key]]));

/**
 * The Clerk actions on one user (resync, revoke sessions, ban, unban, sign-in link): each through
 * `ClerkAccountsService` (resync through the sync's per-user path), then audited. Only rows with a
 * Clerk id qualify (409 otherwise).
 */
@Injectable()
export class ConsoleUserActions {
  constructor(
    @Inject(CLERK_USER_REPOSITORY) private readonly repository: Repository<AbstractClerkUser>,
    @Inject(CLERK_RESOLVED_OPTIONS) private readonly options: ResolvedClerkUsersOptions,
    private readonly accounts: ClerkAccountsService,
    private readonly resyncer: ConsoleUserResync,
    private readonly audit: ConsoleAudit,
  ) {}

  private async linked(id: string): Promise<AbstractClerkUser & { clerkId: string }> {
    const user = await this.repository.findOne({ where: { id } });
    if (!user) throw new NotFoundException('No such user');
    if (!user.clerkId) throw new ConflictException('This account has no Clerk identity');
    return user as AbstractClerkUser & { clerkId: string };
  }

  private async clerk<R>(call: () => Promise<R>): Promise<R> {
    try {
      return await call();
    } catch (error) {
      throw consoleClerkError(error);
    }
  }

  private result(action: ConsoleAuditAction, user: AbstractClerkUser & { clerkId: string }, extra: Partial<ConsoleActionResult> = {}): ConsoleActionResult {
    return { action, user: { id: user.id, clerkId: user.clerkId, isActive: user.isActive }, ...extra };
  }

  async resync(actor: ConsoleActor, id: string): Promise<ConsoleActionResult> {
    const user = await this.linked(id);
    const { user: fresh, outcome } = await this.clerk(() => this.resyncer.resync(user.clerkId));
    await this.audit.record(actor, { action: 'resync', target: { id, label: userLabel(fresh) }, before: snapshot(user), after: { ...snapshot(fresh), outcome } });
    return this.result('resync', { ...fresh, clerkId: user.clerkId } as AbstractClerkUser & { clerkId: string }, { outcome });
  }

  async revokeSessions(actor: ConsoleActor, id: string): Promise<ConsoleActionResult> {
    const user = await this.linked(id);
    const revoked = await this.clerk(() => this.accounts.revokeAllSessions(user.clerkId));
    await this.audit.record(actor, { action: 'revoke-sessions', target: { id, label: userLabel(user) }, before: null, after: { revokedSessions: revoked.length } });
    return this.result('revoke-sessions', user, { revokedSessions: revoked.length });
  }

  async setBanned(actor: ConsoleActor, id: string, banned: boolean): Promise<ConsoleActionResult> {
    const user = await this.linked(id);
    const change = await this.clerk(() => (banned ? this.accounts.ban(user.clerkId) : this.accounts.unban(user.clerkId)));
    const action = banned ? 'ban' : 'unban';
    const after = { banned: change.clerkUser.banned, isActive: change.user.isActive };
    await this.audit.record(actor, { action, target: { id, label: userLabel(user) }, before: { isActive: user.isActive }, after });
    return this.result(action, { ...user, isActive: change.user.isActive } as AbstractClerkUser & { clerkId: string });
  }

  async signInLink(actor: ConsoleActor, id: string, body: unknown): Promise<ConsoleSignInLink> {
    const request = this.parseSignInLink(body);
    const user = await this.linked(id);
    const link = await this.clerk(() => this.accounts.createSignInLink(user.clerkId, { redirectUrl: request.redirectUrl, expiresInSeconds: request.expiresInSeconds ?? 900 }));
    // The link is a credential: the audit keeps when it expires and where it leads, never the link itself.
    await this.audit.record(actor, {
      action: 'sign-in-link',
      target: { id, label: userLabel(user) },
      before: null,
      after: { redirectOrigin: new URL(request.redirectUrl).origin, expiresAt: link.expiresAt.toISOString() },
    });
    return { url: link.url, expiresAt: link.expiresAt };
  }

  private parseSignInLink(body: unknown): ConsoleSignInLinkRequest {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new BadRequestException('Expected a JSON object');
    const { redirectUrl, expiresInSeconds, ...rest } = body as Record<string, unknown>;
    if (Object.keys(rest).length) throw new BadRequestException('Only redirectUrl and expiresInSeconds are accepted');
    if (typeof redirectUrl !== 'string' || redirectUrl.length > 2000) throw new BadRequestException('"redirectUrl" must be an absolute URL');
    let origin: string;
    try {
      origin = new URL(redirectUrl).origin;
    } catch {
      throw new BadRequestException('"redirectUrl" must be an absolute URL');
    }
    // The ticket rides in the URL: it may only lead to the app's own origins.
    if (!this.options.authorizedParties.includes(origin)) throw new BadRequestException('"redirectUrl" must be on one of the app\'s origins (authorizedParties)');
    if (expiresInSeconds !== undefined && (typeof expiresInSeconds !== 'number' || !Number.isInteger(expiresInSeconds) || expiresInSeconds < 60 || expiresInSeconds > 86_400)) {
      throw new BadRequestException('"expiresInSeconds" must be a whole number from 60 to 86400');
    }
    return { redirectUrl, expiresInSeconds };
  }
}
