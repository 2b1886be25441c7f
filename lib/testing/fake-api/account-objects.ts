import { randomBytes } from 'node:crypto';
import type { ClerkUserJson } from '../../users/clerk-user-json.interface.js';
import { generateClerkId, type ClerkOrganizationJson } from '../clerk-fixtures.js';
import { errorResponse, HttpError, notFound, ok, type RouteHandler } from './http.js';
import { DEFAULT_LIMIT, MAX_LIMIT, parseIntegerParam } from './list-query.js';
import { optionalBoolean, optionalInteger, optionalObject, optionalString, requireObjectBody } from './user-writes.js';

/** Sessions, sign-in tokens and invitations of the fake Backend API: what `ClerkAccountsService` creates and revokes. */

/** Clerk's session JSON, as `GET /v1/sessions` serves it. */
export interface FakeSessionJson {
  object: 'session';
  id: string;
  client_id: string;
  user_id: string;
  status: FakeSessionStatus;
  last_active_at: number;
  last_active_organization_id: string | null;
  actor: Record<string, unknown> | null;
  latest_activity: null;
  expire_at: number;
  abandon_at: number;
  created_at: number;
  updated_at: number;
  [key: string]: unknown;
}

/** Session states Clerk reports. */
export type FakeSessionStatus = 'active' | 'pending' | 'revoked' | 'ended' | 'expired' | 'removed' | 'abandoned' | 'replaced';

const SESSION_STATUSES: readonly FakeSessionStatus[] = ['active', 'pending', 'revoked', 'ended', 'expired', 'removed', 'abandoned', 'replaced'];
const LIVE_STATUSES = new Set<FakeSessionStatus>(['active', 'pending']);

/** What `FakeClerkApi.addSession()` needs: the user, and optionally the id (to match a minted token's `sid`) and status. */
export interface FakeSessionInput {
  userId: string;
  id?: string;
  status?: FakeSessionStatus;
  clientId?: string;
}

/** A sign-in token as `POST /v1/sign_in_tokens` created it, with the lifetime it was asked for. */
export interface FakeSignInTokenRecord {
  object: 'sign_in_token';
  id: string;
  user_id: string;
  token: string;
  status: 'pending' | 'accepted' | 'revoked';
  url: string;
  created_at: number;
  updated_at: number;
  /** `expires_in_seconds` as sent (Clerk's default: 30 days). */
  expires_in_seconds: number;
}

/** An invitation to sign up, as `POST /v1/invitations` created it, with the delivery options it was sent. */
export interface FakeInvitationRecord {
  object: 'invitation';
  id: string;
  email_address: string;
  public_metadata: Record<string, unknown>;
  revoked: boolean;
  status: 'pending' | 'accepted' | 'revoked' | 'expired';
  url: string | null;
  expires_at: number;
  created_at: number;
  updated_at: number;
  /** `notify` as sent (Clerk's default: true). Not part of Clerk's JSON. */
  notify: boolean;
  /** `redirect_url` as sent. Not part of Clerk's JSON. */
  redirect_url: string | null;
}

/** An organization invitation as `POST /v1/organizations/:id/invitations` created it. */
export interface FakeOrganizationInvitationJson {
  object: 'organization_invitation';
  id: string;
  email_address: string;
  role: string;
  role_name: string;
  organization_id: string;
  inviter_user_id: string | null;
  status: 'pending' | 'accepted' | 'revoked' | 'expired';
  public_metadata: Record<string, unknown>;
  private_metadata: Record<string, unknown>;
  url: string | null;
  expires_at: number;
  created_at: number;
  updated_at: number;
  [key: string]: unknown;
}

/** What the account objects read from the fake's users and organizations. */
export interface FakeDirectory {
  user(id: string): ClerkUserJson | undefined;
  /** The user holding this email (any address, case-insensitive). */
  userByEmail(email: string): ClerkUserJson | undefined;
  organization(idOrSlug: string): ClerkOrganizationJson | undefined;
  isMember(organizationId: string, userId: string): boolean;
}

const DAY_MS = 24 * 60 * 60 * 1000;
// Clerk's defaults: sign-in tokens live 30 days, invitations 30 days, sessions 7 days.
const DEFAULT_SIGN_IN_TOKEN_SECONDS = 30 * 24 * 60 * 60;
const DEFAULT_INVITATION_DAYS = 30;
const SESSION_LIFETIME_MS = 7 * DAY_MS;

const laterThan = (previous: number): number => Math.max(Date.now(), previous + 1);
const ticket = (): string => randomBytes(24).toString('base64url');

/** The fake's sessions, sign-in tokens and invitations, and the routes that serve them. */
export class FakeAccountObjects {
  private readonly sessions = new Map<string, FakeSessionJson>();
  private readonly signInTokens = new Map<string, FakeSignInTokenRecord>();
  private readonly invitations = new Map<string, FakeInvitationRecord>();
  private readonly organizationInvitations = new Map<string, FakeOrganizationInvitationJson>();

  constructor(
    private readonly directory: FakeDirectory,
    /** Base of the ticket URLs Clerk's answers carry. */
    private readonly frontendUrl: string,
  ) {}

  addSession(input: FakeSessionInput): FakeSessionJson {
    if (!this.directory.user(input.userId)) throw new Error(`FakeClerkApi: no user ${input.userId}`);
    const id = input.id ?? generateClerkId('sess');
    if (this.sessions.has(id)) throw new Error(`FakeClerkApi: session ${id} already exists`);
    const now = Date.now();
    const session: FakeSessionJson = {
      object: 'session',
      id,
      client_id: input.clientId ?? generateClerkId('client'),
      user_id: input.userId,
      status: input.status ?? 'active',
      last_active_at: now,
      last_active_organization_id: null,
      actor: null,
      latest_activity: null,
      expire_at: now + SESSION_LIFETIME_MS,
      abandon_at: now + SESSION_LIFETIME_MS,
      created_at: now,
      updated_at: now,
    };
    this.sessions.set(id, session);
    return structuredClone(session);
  }

  getSession(id: string): FakeSessionJson | undefined {
    const session = this.sessions.get(id);
    return session ? structuredClone(session) : undefined;
  }

  listSessions(userId?: string): FakeSessionJson[] {
    return [...this.sessions.values()].filter((s) => userId === undefined || s.user_id === userId).map((s) => structuredClone(s));
  }

  /** Ends every live session of a user with `status` (a ban revokes them; a deletion removes them), as Clerk does. */
  endSessionsOf(userId: string, status: 'revoked' | 'removed'): void {
    for (const session of this.sessions.values()) {
      if (session.user_id === userId && LIVE_STATUSES.has(session.status)) this.setSessionStatus(session, status);
    }
  }

  listSignInTokens(): FakeSignInTokenRecord[] {
    return [...this.signInTokens.values()].map((record) => ({ ...record }));
  }

  listInvitations(): FakeInvitationRecord[] {
    return [...this.invitations.values()].map((record) => structuredClone(record));
  }

  listOrganizationInvitations(organizationId?: string): FakeOrganizationInvitationJson[] {
    return [...this.organizationInvitations.values()].filter((i) => organizationId === undefined || i.organization_id === organizationId).map((i) => structuredClone(i));
  }

  routes(): Array<[string, RouteHandler]> {
    return [
      ['GET /v1/sessions', (_, query) => ok(this.sessionList(query))],
      ['GET /v1/sessions/:id', ([id]) => ok(this.requireSession(id))],
      ['POST /v1/sessions/:id/revoke', ([id]) => ok(this.revokeSession(id))],
      ['POST /v1/sign_in_tokens', (_, __, body) => ok(this.createSignInToken(body))],
      ['POST /v1/sign_in_tokens/:id/revoke', ([id]) => ok(this.revokeSignInToken(id))],
      ['GET /v1/invitations', (_, query) => ok(this.invitationList(query))],
      ['POST /v1/invitations', (_, __, body) => ok(this.createInvitation(body))],
      ['POST /v1/invitations/:id/revoke', ([id]) => ok(this.revokeInvitation(id))],
      ['GET /v1/organizations/:id/invitations', ([id], query) => ok(this.organizationInvitationList(id, query))],
      ['POST /v1/organizations/:id/invitations', ([id], __, body) => ok(this.createOrganizationInvitation(id, body))],
      ['POST /v1/organizations/:id/invitations/:invitationId/revoke', ([id, invitationId]) => ok(this.revokeOrganizationInvitation(id, invitationId))],
    ];
  }

  private sessionList(query: URLSearchParams): FakeSessionJson[] | { data: FakeSessionJson[]; total_count: number } {
    const userId = query.get('user_id');
    const clientId = query.get('client_id');
    if (!userId && !clientId) throw paramMissing('user_id', 'Either user_id or client_id must be included.');
    const status = query.get('status');
    if (status !== null && !SESSION_STATUSES.includes(status as FakeSessionStatus)) {
      throw new HttpError(errorResponse(422, 'form_param_value_invalid', 'is invalid', `status must be one of ${SESSION_STATUSES.join(', ')}.`, { param_name: 'status' }));
    }
    const matching = [...this.sessions.values()]
      .filter((s) => (!userId || s.user_id === userId) && (!clientId || s.client_id === clientId) && (status === null || s.status === status))
      .sort((a, b) => b.created_at - a.created_at);
    const page = this.page(matching, query);
    return query.get('paginated') === 'true' ? { data: page, total_count: matching.length } : page;
  }

  private requireSession(id: string): FakeSessionJson {
    const session = this.sessions.get(id);
    if (!session) throw new HttpError(notFound());
    return session;
  }

  // Revoking an ended session answers it unchanged: the fake does not guess Clerk's error for that case.
  private revokeSession(id: string): FakeSessionJson {
    const session = this.requireSession(id);
    if (LIVE_STATUSES.has(session.status)) this.setSessionStatus(session, 'revoked');
    return session;
  }

  private setSessionStatus(session: FakeSessionJson, status: FakeSessionStatus): void {
    session.status = status;
    session.updated_at = laterThan(session.updated_at);
  }

  private createSignInToken(rawBody: unknown): Omit<FakeSignInTokenRecord, 'expires_in_seconds'> {
    const body = requireObjectBody(rawBody);
    const userId = optionalString(body, 'user_id');
    if (!userId) throw paramMissing('user_id');
    if (!this.directory.user(userId)) throw new HttpError(notFound());
    const token = ticket();
    const now = Date.now();
    const record: FakeSignInTokenRecord = {
      object: 'sign_in_token',
      id: generateClerkId('sit'),
      user_id: userId,
      token,
      status: 'pending',
      url: `${this.frontendUrl}/v1/tickets/accept?ticket=${token}`,
      created_at: now,
      updated_at: now,
      expires_in_seconds: optionalInteger(body, 'expires_in_seconds') ?? DEFAULT_SIGN_IN_TOKEN_SECONDS,
    };
    this.signInTokens.set(record.id, record);
    return withoutFakeFields(record, ['expires_in_seconds']);
  }

  private revokeSignInToken(id: string): Omit<FakeSignInTokenRecord, 'expires_in_seconds'> {
    const record = this.signInTokens.get(id);
    if (!record) throw new HttpError(notFound());
    if (record.status === 'pending') {
      record.status = 'revoked';
      record.updated_at = laterThan(record.updated_at);
    }
    return withoutFakeFields(record, ['expires_in_seconds']);
  }

  private invitationList(query: URLSearchParams) {
    const status = query.get('status');
    const matching = [...this.invitations.values()].filter((i) => status === null || i.status === status).sort((a, b) => b.created_at - a.created_at);
    const page = this.page(matching, query).map((record) => withoutFakeFields(record, ['notify', 'redirect_url']));
    return query.get('paginated') === 'true' ? { data: page, total_count: matching.length } : page;
  }

  private createInvitation(rawBody: unknown): Omit<FakeInvitationRecord, 'notify' | 'redirect_url'> {
    const body = requireObjectBody(rawBody);
    const email = optionalString(body, 'email_address');
    if (!email) throw paramMissing('email_address');
    const ignoreExisting = optionalBoolean(body, 'ignore_existing') === true;
    if (!ignoreExisting && this.directory.userByEmail(email)) throw identifierExists();
    const pending = [...this.invitations.values()].some((i) => i.status === 'pending' && i.email_address.toLowerCase() === email.toLowerCase());
    if (!ignoreExisting && pending) throw duplicateInvitation();
    const now = Date.now();
    const record: FakeInvitationRecord = {
      object: 'invitation',
      id: generateClerkId('inv'),
      email_address: email,
      public_metadata: optionalObject(body, 'public_metadata') ?? {},
      revoked: false,
      status: 'pending',
      url: `${this.frontendUrl}/v1/tickets/accept?ticket=${ticket()}`,
      expires_at: now + (optionalInteger(body, 'expires_in_days') ?? DEFAULT_INVITATION_DAYS) * DAY_MS,
      created_at: now,
      updated_at: now,
      notify: optionalBoolean(body, 'notify') ?? true,
      redirect_url: optionalString(body, 'redirect_url') ?? null,
    };
    this.invitations.set(record.id, record);
    return withoutFakeFields(record, ['notify', 'redirect_url']);
  }

  private revokeInvitation(id: string): Omit<FakeInvitationRecord, 'notify' | 'redirect_url'> {
    const record = this.invitations.get(id);
    if (!record) throw new HttpError(notFound());
    if (record.status !== 'pending') throw notPending('Only pending invitations can be revoked.');
    record.status = 'revoked';
    record.revoked = true;
    record.updated_at = laterThan(record.updated_at);
    return withoutFakeFields(record, ['notify', 'redirect_url']);
  }

  private organizationInvitationList(idOrSlug: string, query: URLSearchParams) {
    const organization = this.requireOrganization(idOrSlug);
    const status = query.get('status');
    const matching = [...this.organizationInvitations.values()]
      .filter((i) => i.organization_id === organization.id && (status === null || i.status === status))
      .sort((a, b) => b.created_at - a.created_at);
    return { data: this.page(matching, query), total_count: matching.length };
  }

  private createOrganizationInvitation(idOrSlug: string, rawBody: unknown): FakeOrganizationInvitationJson {
    const organization = this.requireOrganization(idOrSlug);
    const body = requireObjectBody(rawBody);
    const email = optionalString(body, 'email_address');
    if (!email) throw paramMissing('email_address');
    const role = optionalString(body, 'role');
    if (!role) throw paramMissing('role');
    const inviterUserId = optionalString(body, 'inviter_user_id') ?? null;
    if (inviterUserId !== null && !this.directory.user(inviterUserId)) throw new HttpError(notFound());
    const invitee = this.directory.userByEmail(email);
    if (invitee && this.directory.isMember(organization.id, invitee.id)) {
      throw new HttpError(errorResponse(422, 'already_a_member_in_organization', 'already a member', `${email} is already a member of the organization.`, { param_name: 'email_address' }));
    }
    const pending = [...this.organizationInvitations.values()].some(
      (i) => i.organization_id === organization.id && i.status === 'pending' && i.email_address.toLowerCase() === email.toLowerCase(),
    );
    if (pending) throw duplicateInvitation();
    const now = Date.now();
    const invitation: FakeOrganizationInvitationJson = {
      object: 'organization_invitation',
      id: generateClerkId('orginv'),
      email_address: email,
      role,
      role_name: roleName(role),
      organization_id: organization.id,
      inviter_user_id: inviterUserId,
      status: 'pending',
      public_metadata: optionalObject(body, 'public_metadata') ?? {},
      private_metadata: optionalObject(body, 'private_metadata') ?? {},
      url: null,
      expires_at: now + (optionalInteger(body, 'expires_in_days') ?? DEFAULT_INVITATION_DAYS) * DAY_MS,
      created_at: now,
      updated_at: now,
    };
    this.organizationInvitations.set(invitation.id, invitation);
    organization.pending_invitations_count += 1;
    return invitation;
  }

  private revokeOrganizationInvitation(idOrSlug: string, invitationId: string): FakeOrganizationInvitationJson {
    const organization = this.requireOrganization(idOrSlug);
    const invitation = this.organizationInvitations.get(invitationId);
    if (!invitation || invitation.organization_id !== organization.id) throw new HttpError(notFound());
    if (invitation.status !== 'pending') throw notPending('Only pending organization invitations can be revoked.');
    invitation.status = 'revoked';
    invitation.updated_at = laterThan(invitation.updated_at);
    organization.pending_invitations_count = Math.max(0, organization.pending_invitations_count - 1);
    return invitation;
  }

  private requireOrganization(idOrSlug: string): ClerkOrganizationJson {
    const organization = this.directory.organization(idOrSlug);
    if (!organization) throw new HttpError(notFound());
    return organization;
  }

  private page<T>(items: T[], query: URLSearchParams): T[] {
    const limit = parseIntegerParam(query, 'limit', DEFAULT_LIMIT, 1, MAX_LIMIT);
    const offset = parseIntegerParam(query, 'offset', 0, 0, Number.MAX_SAFE_INTEGER);
    return items.slice(offset, offset + limit);
  }
}

function withoutFakeFields<R extends object, K extends keyof R>(record: R, keys: K[]): Omit<R, K> {
  const copy: Partial<R> = { ...record };
  for (const key of keys) delete copy[key];
  return copy as Omit<R, K>;
}

function paramMissing(param: string, longMessage = `${param} must be included.`): HttpError {
  return new HttpError(errorResponse(422, 'form_param_missing', 'missing requested parameter', longMessage, { param_name: param }));
}

function identifierExists(): HttpError {
  const message = 'That email address is taken. Please try another.';
  return new HttpError(errorResponse(422, 'form_identifier_exists', message, message, { param_name: 'email_address' }));
}

function duplicateInvitation(): HttpError {
  return new HttpError(errorResponse(422, 'duplicate_record', 'duplicate record', 'There is already a pending invitation for this email address.', { param_name: 'email_address' }));
}

function notPending(longMessage: string): HttpError {
  return new HttpError(errorResponse(422, 'form_param_value_invalid', 'is invalid', longMessage));
}

// Clerk shows `org:admin` as "Admin".
function roleName(role: string): string {
  const key = role.startsWith('org:') ? role.slice(4) : role;
  return key.replace(/[_-]+/g, ' ').replace(/\b\w/g, (letter) => letter.toUpperCase());
}
