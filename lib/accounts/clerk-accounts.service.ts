import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { ClerkClient, Invitation, OrganizationInvitation, Session, User } from '@clerk/backend';
import { InjectClerkClient } from '../clerk-client/clerk-client.provider.js';
import { ClerkSessionRevocations } from '../auth/clerk-session-revocations.service.js';
import { inTrackedTransaction } from '../cache/after-commit.js';
import type { AbstractClerkUser } from '../users/abstract-clerk-user.entity.js';
import type { ClerkUserJson } from '../users/clerk-user-json.interface.js';
import { ClerkUsersService } from '../users/clerk-users.service.js';
import { OrganizationsService } from '../organizations/organizations.service.js';
import type { ClerkOrganizationInvitationJson } from '../organizations/clerk-organization-json.interface.js';
import { AUTO_USERNAME_ATTEMPTS, usernameFromEmail } from './auto-username.js';
import { callClerk } from './clerk-account-call.js';
import { ClerkApiError } from './clerk-api.error.js';
import { ClerkUserNotLinkedError } from './clerk-user-not-linked.error.js';
import type {
  ClerkAccessLink,
  ClerkAccountTarget,
  ClerkMetadataUpdate,
  ClerkSignInLink,
  ClerkUserProfileUpdate,
  CreateClerkUserInput,
  CreateClerkUserResult,
  InviteToOrganizationOptions,
  InviteUserOptions,
  ProvisionAccessLinkOptions,
  SignInLinkOptions,
} from './clerk-accounts.types.js';

/** Lifetime of a sign-in link unless given: two hours (Clerk's own default, 30 days, is long for an emailed link). */
const DEFAULT_SIGN_IN_LINK_SECONDS = 7200;
/** The query parameter Clerk's frontend components read a sign-in ticket from. */
const CLERK_TICKET_PARAM = '__clerk_ticket';
/** Sessions Clerk may still accept a token of: the ones to revoke. */
const LIVE_SESSION_STATUSES = new Set(['active', 'pending']);
const SESSION_PAGE_SIZE = 100;
/** Revocations sent at once: a user with hundreds of sessions must not trip Clerk's rate limit by itself. */
const REVOKE_CONCURRENCY = 5;

/** A Clerk user and its local row after a change, written at once through the module's one mapping. */
export interface ClerkAccountChange<T extends AbstractClerkUser = AbstractClerkUser> {
  user: T;
  clerkUser: User;
}

/**
 * Acts on Clerk (create, invite, sign-in links, sessions, metadata, ban, delete) through the module's
 * timed `@clerk/backend` client, then writes the local row at once through the same mapping, ordering
 * guard and cache invalidation as webhooks and sync: the app sees the change before Clerk's webhook,
 * which then changes nothing. A refusal from Clerk is a {@link ClerkApiError} and writes nothing.
 */
@Injectable()
export class ClerkAccountsService<T extends AbstractClerkUser = AbstractClerkUser> {
  private organizationsService: OrganizationsService | null | undefined;

  constructor(
    @InjectClerkClient() private readonly clerk: ClerkClient,
    private readonly users: ClerkUsersService<T>,
    private readonly revocations: ClerkSessionRevocations,
    private readonly moduleRef: ModuleRef,
  ) {}

  /**
   * Creates a Clerk user (passwordless unless a password or digest is given) and its local row. An
   * email Clerk already has is no error: that user is returned with `created: false`.
   */
  async createUser(input: CreateClerkUserInput): Promise<CreateClerkUserResult<T>> {
    const email = requireEmail(input.email);
    const params = {
      emailAddress: [email],
      firstName: input.firstName,
      lastName: input.lastName,
      externalId: input.externalId,
      publicMetadata: input.publicMetadata,
      privateMetadata: input.privateMetadata,
      unsafeMetadata: input.unsafeMetadata,
      ...credentialsOf(input),
    };
    const generated = input.autoUsername === true && input.username === undefined;
    for (let attempt = 0; ; attempt++) {
      const username = generated ? usernameFromEmail(email, attempt) : input.username;
      try {
        const clerkUser = await callClerk('createUser', () => this.clerk.users.createUser({ ...params, username }), 'once');
        return { user: await this.writeLocal(clerkUser), clerkUser, created: true };
      } catch (error) {
        if (isTaken(error, 'email_address')) {
          const existing = await this.findClerkUserByEmail(email);
          if (existing) return { user: await this.writeLocal(existing), clerkUser: existing, created: false };
        }
        if (generated && isTaken(error, 'username') && attempt + 1 < AUTO_USERNAME_ATTEMPTS) continue;
        throw error;
      }
    }
  }

  /** The Clerk user holding `email` as its primary or a secondary address (case-insensitive), or `null`. */
  async findClerkUserByEmail(email: string): Promise<User | null> {
    const address = requireEmail(email).toLowerCase();
    const { data } = await callClerk('findClerkUserByEmail', () => this.clerk.users.getUserList({ emailAddress: [address], limit: 1 }), 'idempotent');
    return data[0] ?? null;
  }

  /** A one-time sign-in link for `user`: Clerk's sign-in token, as `__clerk_ticket` on `redirectUrl`. */
  async createSignInLink(user: ClerkAccountTarget, options: SignInLinkOptions): Promise<ClerkSignInLink> {
    const url = absoluteUrl(options.redirectUrl);
    const expiresInSeconds = options.expiresInSeconds ?? DEFAULT_SIGN_IN_LINK_SECONDS;
    if (!Number.isInteger(expiresInSeconds) || expiresInSeconds < 1) throw new RangeError(`expiresInSeconds must be a positive integer, got ${expiresInSeconds}`);
    const userId = clerkIdOf(user);
    const signInToken = await callClerk('createSignInLink', () => this.clerk.signInTokens.createSignInToken({ userId, expiresInSeconds }), 'once');
    url.searchParams.set(CLERK_TICKET_PARAM, signInToken.token);
    const issuedAt = typeof signInToken.createdAt === 'number' && signInToken.createdAt > 0 ? signInToken.createdAt : Date.now();
    return { url: url.toString(), token: signInToken.token, expiresAt: new Date(issuedAt + expiresInSeconds * 1000) };
  }

  /** Creates the user unless Clerk has the email already, then a sign-in link for them. */
  async provisionAccessLink(email: string, redirectUrl: string, options: ProvisionAccessLinkOptions = {}): Promise<ClerkAccessLink> {
    absoluteUrl(redirectUrl); // refused before anything is created
    const { expiresInSeconds, ...details } = options;
    const { clerkUser, created } = await this.createUser({ ...details, email });
    const link = await this.createSignInLink(clerkUser.id, { redirectUrl, expiresInSeconds });
    return { clerkUserId: clerkUser.id, url: link.url, created };
  }

  /** Invites `email` to sign up (Clerk emails the invitation unless `notify: false`). */
  inviteUser(email: string, options: InviteUserOptions = {}): Promise<Invitation> {
    const emailAddress = requireEmail(email);
    return callClerk(
      'inviteUser',
      () => this.clerk.invitations.createInvitation({ emailAddress, redirectUrl: options.redirectUrl, publicMetadata: options.publicMetadata, notify: options.notify }),
      'once',
    );
  }

  /** Revokes a pending invitation to sign up. */
  revokeInvitation(invitationId: string): Promise<Invitation> {
    return callClerk('revokeInvitation', () => this.clerk.invitations.revokeInvitation(invitationId), 'once');
  }

  /** Invites `email` into an organization with `role` (`org:member`, …); the local invitation row follows when `OrganizationsModule` is loaded. */
  async inviteToOrganization(organizationId: string, email: string, role: string, options: InviteToOrganizationOptions = {}): Promise<OrganizationInvitation> {
    const emailAddress = requireEmail(email);
    const invitation = await callClerk(
      'inviteToOrganization',
      () => this.clerk.organizations.createOrganizationInvitation({ organizationId, emailAddress, role, inviterUserId: options.inviterUserId, redirectUrl: options.redirectUrl }),
      'once',
    );
    // Clerk's answer may not name the inviter; the caller does.
    await this.writeInvitation(invitation, { inviter_user_id: options.inviterUserId ?? null });
    return invitation;
  }

  /** Revokes a pending organization invitation; the local row becomes `revoked` when `OrganizationsModule` is loaded. */
  async revokeOrganizationInvitation(organizationId: string, invitationId: string): Promise<OrganizationInvitation> {
    const invitation = await callClerk('revokeOrganizationInvitation', () => this.clerk.organizations.revokeOrganizationInvitation({ organizationId, invitationId }), 'once');
    await this.writeInvitation(invitation, {}, 'revoked');
    return invitation;
  }

  /**
   * Revokes every live session of `user` in Clerk and adds each to the module's shared revocation
   * list, so every instance refuses their tokens on the next request. Returns the revoked session ids.
   */
  async revokeAllSessions(user: ClerkAccountTarget): Promise<string[]> {
    const userId = clerkIdOf(user);
    const live = (await this.sessionsOf(userId)).filter((session) => LIVE_SESSION_STATUSES.has(session.status));
    const revoked: string[] = [];
    for (let start = 0; start < live.length; start += REVOKE_CONCURRENCY) {
      const batch = live.slice(start, start + REVOKE_CONCURRENCY);
      const outcomes = await Promise.allSettled(batch.map((session) => callClerk('revokeAllSessions', () => this.clerk.sessions.revokeSession(session.id), 'idempotent')));
      // Whatever Clerk revoked is refused here too, even when another revocation of the batch failed.
      const done = batch.filter((_, index) => outcomes[index].status === 'fulfilled').map((session) => session.id);
      await Promise.all(done.map((id) => this.revocations.revoke(id)));
      revoked.push(...done);
      const failed = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
      if (failed) throw failed.reason;
    }
    return revoked;
  }

  /**
   * Deep-merges metadata in Clerk (server-side: concurrent updates of different keys all survive; a
   * `null` value deletes its key), then the local row takes Clerk's answer.
   */
  async updateMetadata(user: ClerkAccountTarget, update: ClerkMetadataUpdate): Promise<ClerkAccountChange<T>> {
    const userId = clerkIdOf(user);
    const params = { publicMetadata: update.public, privateMetadata: update.private, unsafeMetadata: update.unsafe };
    return this.change(await callClerk('updateMetadata', () => this.clerk.users.updateUserMetadata(userId, params), 'idempotent'));
  }

  /** Changes profile fields in Clerk (names, username, external id), then the local row. */
  async updateUser(user: ClerkAccountTarget, update: ClerkUserProfileUpdate): Promise<ClerkAccountChange<T>> {
    const userId = clerkIdOf(user);
    const params = { firstName: update.firstName, lastName: update.lastName, username: update.username, externalId: update.externalId };
    return this.change(await callClerk('updateUser', () => this.clerk.users.updateUser(userId, params), 'idempotent'));
  }

  /** Bans the user in Clerk (Clerk ends their sessions); the local row is inactive at once, so their next request is a 401. */
  async ban(user: ClerkAccountTarget): Promise<ClerkAccountChange<T>> {
    const userId = clerkIdOf(user);
    return this.change(await callClerk('ban', () => this.clerk.users.banUser(userId), 'idempotent'));
  }

  /** Lifts a ban; the local row is active again unless the user is also locked. */
  async unban(user: ClerkAccountTarget): Promise<ClerkAccountChange<T>> {
    const userId = clerkIdOf(user);
    return this.change(await callClerk('unban', () => this.clerk.users.unbanUser(userId), 'idempotent'));
  }

  /** Locks the user in Clerk (no sign-in until unlocked or the lockout expires); the local row is inactive at once. */
  async lock(user: ClerkAccountTarget): Promise<ClerkAccountChange<T>> {
    const userId = clerkIdOf(user);
    return this.change(await callClerk('lock', () => this.clerk.users.lockUser(userId), 'idempotent'));
  }

  /** Removes a lock; the local row is active again unless the user is also banned. */
  async unlock(user: ClerkAccountTarget): Promise<ClerkAccountChange<T>> {
    const userId = clerkIdOf(user);
    return this.change(await callClerk('unlock', () => this.clerk.users.unlockUser(userId), 'idempotent'));
  }

  /** Deletes the user in Clerk, then applies the `user.deleted` webhook's local rules (row deactivated for good, memberships removed). */
  async deleteUser(user: ClerkAccountTarget): Promise<void> {
    const userId = clerkIdOf(user);
    await callClerk('deleteUser', () => this.clerk.users.deleteUser(userId), 'once');
    const organizations = this.organizations();
    await inTrackedTransaction(this.users.repository.manager, async (manager) => {
      await this.users.markDeleted(userId, manager);
      await organizations?.removeUserMemberships(userId, manager);
    });
  }

  private async change(clerkUser: User): Promise<ClerkAccountChange<T>> {
    return { user: await this.writeLocal(clerkUser), clerkUser };
  }

  /** The one mapping, ordering guard and cache invalidation of webhooks and sync. */
  private async writeLocal(clerkUser: User): Promise<T> {
    const { user } = await this.users.upsertFromClerkUser(rawJson<ClerkUserJson>(clerkUser));
    return user;
  }

  private async writeInvitation(invitation: OrganizationInvitation, fallback: Partial<ClerkOrganizationInvitationJson>, status?: 'revoked'): Promise<void> {
    const organizations = this.organizations();
    if (!organizations) return;
    const json = rawJson<ClerkOrganizationInvitationJson>(invitation);
    await organizations.upsertInvitationFromClerk({ ...json, inviter_user_id: json.inviter_user_id ?? fallback.inviter_user_id ?? null }, status);
  }

  private async sessionsOf(userId: string): Promise<Session[]> {
    const sessions: Session[] = [];
    for (let offset = 0; ; offset += SESSION_PAGE_SIZE) {
      const page = await callClerk('revokeAllSessions', () => this.clerk.sessions.getSessionList({ userId, limit: SESSION_PAGE_SIZE, offset }), 'idempotent');
      sessions.push(...page.data);
      if (page.data.length < SESSION_PAGE_SIZE || sessions.length >= page.totalCount) return sessions;
    }
  }

  /** `OrganizationsService` when the app imports `OrganizationsModule`, else `null` (looked up once). */
  private organizations(): OrganizationsService | null {
    if (this.organizationsService !== undefined) return this.organizationsService;
    try {
      this.organizationsService = this.moduleRef.get(OrganizationsService, { strict: false }) ?? null;
    } catch {
      this.organizationsService = null;
    }
    return this.organizationsService;
  }
}

/** The Clerk user id of a target: a `user_…` id as given, or a local row's `clerkId`. */
function clerkIdOf(target: ClerkAccountTarget): string {
  if (typeof target === 'string') {
    if (/^user_[A-Za-z0-9]+$/.test(target)) return target;
    throw new TypeError(`expected a Clerk user id (user_…) or a local user with a clerkId, got ${JSON.stringify(target.slice(0, 64))}`);
  }
  if (target && typeof target.clerkId === 'string' && target.clerkId !== '') return target.clerkId;
  const localId = (target as { id?: unknown } | null)?.id;
  throw new ClerkUserNotLinkedError(typeof localId === 'string' ? localId : undefined);
}

function credentialsOf(input: CreateClerkUserInput) {
  if (input.passwordDigest !== undefined || input.passwordHasher !== undefined) {
    if (!input.passwordDigest || !input.passwordHasher) throw new TypeError('passwordDigest and passwordHasher go together: give both or neither');
    return { passwordDigest: input.passwordDigest, passwordHasher: input.passwordHasher };
  }
  if (input.password !== undefined) return { password: input.password };
  // As the seed does: a user without a password signs in by link, code or SSO.
  return { skipPasswordRequirement: true };
}

function requireEmail(email: string): string {
  const trimmed = typeof email === 'string' ? email.trim() : '';
  if (!trimmed.includes('@')) throw new TypeError('an email address is required');
  return trimmed;
}

function absoluteUrl(value: string): URL {
  try {
    return new URL(value);
  } catch {
    throw new TypeError('redirectUrl must be an absolute URL (https://app.example.com/welcome)');
  }
}

/** Clerk refused because another user holds this identifier: any of its errors is `form_identifier_exists` on `param`. */
function isTaken(error: unknown, param: 'email_address' | 'username'): boolean {
  return (
    error instanceof ClerkApiError &&
    error.status === 422 &&
    error.errors.some((detail) => detail.code === 'form_identifier_exists' && detail.meta?.paramName === param)
  );
}

/** The wire JSON `@clerk/backend` keeps on its resources (`raw`), which the module's mappings read. */
function rawJson<J>(resource: { raw: unknown }): J {
  if (!resource.raw || typeof resource.raw !== 'object') throw new TypeError('Clerk answered without a JSON body');
  return resource.raw as J;
}
