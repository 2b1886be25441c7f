import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ClerkUserJson } from '../users/clerk-user-json.interface.js';
import {
  buildClerkMembership,
  buildClerkOrganization,
  buildClerkUser,
  generateClerkId,
  type ClerkOrganizationFixtureInput,
  type ClerkOrganizationJson,
  type ClerkOrganizationMembershipJson,
  type ClerkUserFixtureInput,
} from './clerk-fixtures.js';
import type { ClerkMachineTokenType } from '../auth/clerk-auth.interface.js';
import {
  buildMachineTokenRecord,
  MACHINE_VERIFY_FIELDS,
  machineTokenRefusal,
  renderMachineToken,
  type FakeMachineTokenInput,
  type FakeMachineTokenRecord,
} from './fake-machine-tokens.js';

import {
  decodeSegments,
  errorResponse,
  failureResponse,
  HttpError,
  listenOnLoopback,
  matchRoute,
  notFound,
  ok,
  readJsonBody,
  sendJson,
  splitUrl,
  unauthorized,
  type JsonResponse,
  type ParsedBody,
  type PendingFailure,
  type Route,
  type RouteHandler,
} from './fake-api/http.js';
import {
  DEFAULT_LIMIT,
  emailsOf,
  hasUserFilters,
  MAX_LIMIT,
  MEMBERSHIP_SORT_FIELDS,
  ORGANIZATION_SORT_FIELDS,
  paginate,
  parseIntegerParam,
  searchableTextOf,
  sortItems,
  USER_SORT_FIELDS,
  type ListPage,
  type Stored,
} from './fake-api/list-query.js';
import { createFakeUser, readUserPatch, replacedMetadata, type FakeUserCredentials } from './fake-api/user-writes.js';
import { metadataMergePatch } from './fake-api/metadata-merge.js';
import {
  FakeAccountObjects,
  type FakeInvitationRecord,
  type FakeOrganizationInvitationJson,
  type FakeSessionInput,
  type FakeSessionJson,
  type FakeSignInTokenRecord,
} from './fake-api/account-objects.js';
import { UserIdentifierIndex } from './fake-api/identifier-index.js';

export type { FakeMachineTokenInput, FakeMachineTokenRecord } from './fake-machine-tokens.js';
export type { FakeUserCredentials } from './fake-api/user-writes.js';
export type {
  FakeInvitationRecord,
  FakeOrganizationInvitationJson,
  FakeSessionInput,
  FakeSessionJson,
  FakeSessionStatus,
  FakeSignInTokenRecord,
} from './fake-api/account-objects.js';

/** How to start a {@link FakeClerkApi}: the secret key it demands and the JWKS it publishes. */
export interface FakeClerkApiOptions {
  secretKey: string;
  jwks: { keys: Array<Record<string, unknown>> };
  /** Frontend API host the ticket URLs of sign-in tokens and invitations point at. */
  frontendApi?: string;
}

/** One HTTP request as the fake received it, recorded before any check so failed requests show up too. */
export interface RecordedRequest {
  method: string;
  /** The raw path, without the query string. */
  path: string;
  query: URLSearchParams;
  authorization: string | undefined;
}

/** A failure the fake answers instead of the real route, for testing retries and error handling. */
export interface FakeFailure {
  /** An HTTP error status, 400–599. */
  status: number;
  /** Sent as `Retry-After`; a 429 always carries one (default 1). */
  retryAfterSeconds?: number;
  /** How many matching requests fail; default 1. */
  times?: number;
  /** Only requests whose path starts with this fail, e.g. `/v1/users`. */
  pathPrefix?: string;
  /**
   * Clerk's error `code` to answer instead of the status's usual one, with `meta.param_name` when
   * `paramName` is set: e.g. `{ status: 422, code: 'form_identifier_exists', paramName: 'username' }`.
   */
  code?: string;
  paramName?: string;
}

/** What {@link FakeClerkApi.addMembership} needs: the ids it links, both already stored. */
export interface FakeMembershipInput {
  organizationId: string;
  userId: string;
  role?: string;
  permissions?: string[];
}

interface MembershipRecord {
  id: string;
  organizationId: string;
  userId: string;
  role: string;
  permissions: string[];
  createdAt: number;
  updatedAt: number;
  seq: number;
}

/**
 * An offline Clerk Backend API on 127.0.0.1, speaking the subset `@clerk/backend` uses for users (reads
 * and writes), organizations, memberships, sessions, sign-in tokens, invitations, JWKS and machine token
 * verification, with Clerk's status codes and error bodies; point `apiUrl` at {@link FakeClerkApi.url}.
 */
export class FakeClerkApi {
  /** Every request received, in order, including rejected ones. */
  readonly requests: RecordedRequest[] = [];

  private readonly users = new Map<string, Stored<ClerkUserJson>>();
  /** Unfiltered user lists per `order_by`, dropped on every change: a 100k-user sync must measure the sync, not the fake. */
  private readonly sortedUsers = new Map<string, Array<Stored<ClerkUserJson>>>();
  private readonly organizations = new Map<string, Stored<ClerkOrganizationJson>>();
  private readonly memberships = new Map<string, MembershipRecord>();
  /** Machine tokens by secret (the string a caller presents). */
  private readonly machineTokens = new Map<string, FakeMachineTokenRecord>();
  /** How each user created through `POST /v1/users` got its password. */
  private readonly credentials = new Map<string, FakeUserCredentials>();
  /** Owners of emails, usernames and external ids, for BAPI's duplicate-identifier answers. */
  private readonly identifiers = new UserIdentifierIndex();
  /** Sessions, sign-in tokens and invitations. */
  private readonly accounts: FakeAccountObjects;
  private readonly failures: PendingFailure[] = [];
  /** The Clerk error of injected failures that name one (`FakeFailure.code`). */
  private readonly failureErrors = new WeakMap<PendingFailure, { code: string; paramName?: string }>();
  private readonly routes: Route[];
  private seq = 0;

  private constructor(
    private readonly options: FakeClerkApiOptions,
    private readonly server: Server,
    /** Base URL without trailing slash, e.g. `http://127.0.0.1:54321`; pass it as `apiUrl`. */
    readonly url: string,
  ) {
    this.accounts = new FakeAccountObjects(
      {
        user: (id) => this.users.get(id)?.json,
        userByEmail: (email) => {
          const id = this.identifiers.ownerOf('email_address', email);
          return id === undefined ? undefined : this.users.get(id)?.json;
        },
        organization: (idOrSlug) => this.findOrganization(idOrSlug)?.json,
        isMember: (organizationId, userId) => this.isMemberOfAny(userId, [organizationId]),
      },
      `https://${options.frontendApi ?? 'fake-clerk.accounts.dev'}`,
    );
    this.routes = this.buildRoutes();
  }

  /** Starts a fake on an ephemeral port; call {@link FakeClerkApi.close} when done. */
  static async start(options: FakeClerkApiOptions): Promise<FakeClerkApi> {
    const server = createServer();
    await listenOnLoopback(server);
    const { port } = server.address() as AddressInfo;
    const api = new FakeClerkApi(options, server, `http://127.0.0.1:${port}`);
    // Attached after listen, but nobody knows the port before start() resolves, so no request is missed.
    server.on('request', (req: IncomingMessage, res: ServerResponse) => api.handle(req, res));
    return api;
  }

  /** Builds a user with {@link buildClerkUser}, stores it and returns a copy. */
  addUser(input?: ClerkUserFixtureInput): ClerkUserJson {
    const user = buildClerkUser(input);
    if (this.users.has(user.id)) throw new Error(`FakeClerkApi: user ${user.id} already exists`);
    this.users.set(user.id, { json: user, seq: this.nextSeq() });
    this.identifiers.add(user);
    this.sortedUsers.clear();
    return structuredClone(user);
  }

  /** Shallow-merges `patch` into a stored user; `updated_at` moves strictly forward unless the patch sets it. */
  updateUser(id: string, patch: Partial<ClerkUserJson>): ClerkUserJson {
    const stored = this.users.get(id);
    if (!stored) throw new Error(`FakeClerkApi: no user ${id}`);
    const previous = typeof stored.json.updated_at === 'number' ? stored.json.updated_at : 0;
    const next: ClerkUserJson = { ...stored.json, ...structuredClone(patch), id };
    if (patch.updated_at === undefined) next.updated_at = Math.max(Date.now(), previous + 1);
    this.identifiers.remove(stored.json);
    stored.json = next;
    this.identifiers.add(next);
    this.sortedUsers.clear();
    return structuredClone(next);
  }

  /** Deletes a user and its memberships, as Clerk does; unknown ids are ignored. */
  removeUser(id: string): void {
    const stored = this.users.get(id);
    if (!stored) return;
    this.users.delete(id);
    this.identifiers.remove(stored.json);
    this.credentials.delete(id);
    this.accounts.endSessionsOf(id, 'removed');
    this.sortedUsers.clear();
    for (const membership of [...this.memberships.values()]) {
      if (membership.userId === id) this.removeMembership(membership.id);
    }
  }

  /** A copy of a stored user, or `undefined`. */
  getUser(id: string): ClerkUserJson | undefined {
    const stored = this.users.get(id);
    return stored ? structuredClone(stored.json) : undefined;
  }

  /** How a user created through `POST /v1/users` got its password (digest and hasher as sent), or `undefined`. */
  getUserCredentials(id: string): FakeUserCredentials | undefined {
    const credentials = this.credentials.get(id);
    return credentials ? { ...credentials } : undefined;
  }

  /**
   * Stores a session of a stored user (`id` to match the `sid` of a minted token), which
   * `GET /v1/sessions` lists and `POST /v1/sessions/:id/revoke` ends.
   */
  addSession(input: FakeSessionInput): FakeSessionJson {
    return this.accounts.addSession(input);
  }

  /** A copy of a stored session, or `undefined`. */
  getSession(id: string): FakeSessionJson | undefined {
    return this.accounts.getSession(id);
  }

  /** Copies of the stored sessions, of one user or all. */
  listSessions(userId?: string): FakeSessionJson[] {
    return this.accounts.listSessions(userId);
  }

  /** The sign-in tokens created through `POST /v1/sign_in_tokens`, with the lifetime each was asked for. */
  listSignInTokens(): FakeSignInTokenRecord[] {
    return this.accounts.listSignInTokens();
  }

  /** The invitations created through `POST /v1/invitations`, with the `notify` and `redirect_url` each was sent. */
  listInvitations(): FakeInvitationRecord[] {
    return this.accounts.listInvitations();
  }

  /** The organization invitations created through `POST /v1/organizations/:id/invitations`, of one organization or all. */
  listOrganizationInvitations(organizationId?: string): FakeOrganizationInvitationJson[] {
    return this.accounts.listOrganizationInvitations(organizationId);
  }

  /** Copies of all stored users, in insertion order. */
  listUsers(): ClerkUserJson[] {
    return [...this.users.values()].map((stored) => structuredClone(stored.json));
  }

  /** Builds an organization with {@link buildClerkOrganization}, stores it and returns a copy. */
  addOrganization(input?: ClerkOrganizationFixtureInput): ClerkOrganizationJson {
    const organization = buildClerkOrganization(input);
    if (this.findOrganization(organization.id) || this.findOrganization(organization.slug)) {
      throw new Error(`FakeClerkApi: organization ${organization.id} (${organization.slug}) already exists`);
    }
    this.organizations.set(organization.id, { json: organization, seq: this.nextSeq() });
    return structuredClone(organization);
  }

  /** Deletes an organization and its memberships; unknown ids are ignored. */
  removeOrganization(id: string): void {
    if (!this.organizations.delete(id)) return;
    for (const membership of [...this.memberships.values()]) {
      if (membership.organizationId === id) this.memberships.delete(membership.id);
    }
  }

  /** Links a stored user to a stored organization and bumps its `members_count`. */
  addMembership(input: FakeMembershipInput): ClerkOrganizationMembershipJson {
    const organization = this.organizations.get(input.organizationId);
    if (!organization) throw new Error(`FakeClerkApi: no organization ${input.organizationId}`);
    if (!this.users.has(input.userId)) throw new Error(`FakeClerkApi: no user ${input.userId}`);
    const duplicate = [...this.memberships.values()].some(
      (m) => m.organizationId === input.organizationId && m.userId === input.userId,
    );
    if (duplicate) throw new Error(`FakeClerkApi: ${input.userId} is already a member of ${input.organizationId}`);
    const now = Date.now();
    const record: MembershipRecord = {
      id: generateClerkId('orgmem'),
      organizationId: input.organizationId,
      userId: input.userId,
      role: input.role ?? 'org:member',
      permissions: [...(input.permissions ?? [])],
      createdAt: now,
      updatedAt: now,
      seq: this.nextSeq(),
    };
    this.memberships.set(record.id, record);
    organization.json.members_count += 1;
    return this.renderMembership(record);
  }

  /** Deletes a membership and lowers its organization's `members_count`; unknown ids are ignored. */
  removeMembership(id: string): void {
    const record = this.memberships.get(id);
    if (!record) return;
    this.memberships.delete(id);
    const organization = this.organizations.get(record.organizationId);
    if (organization) organization.json.members_count = Math.max(0, organization.json.members_count - 1);
  }

  /**
   * Stores an M2M token, API key or OAuth access token (opaque, `mt_…`/`ak_…`/`oat_…`) and returns the
   * token string a caller presents; `POST /m2m_tokens/verify`, `/api_keys/verify` and
   * `/oauth_applications/access_tokens/verify` then answer for it.
   */
  issueMachineToken(input: FakeMachineTokenInput): string {
    const record = buildMachineTokenRecord(input);
    this.machineTokens.set(record.secret, record);
    return record.secret;
  }

  /** Revokes an issued machine token, as Clerk's revoke endpoints do; its verification is refused from now on. */
  revokeMachineToken(token: string, reason = 'revoked by the test'): void {
    const record = this.machineTokens.get(token);
    if (!record) throw new Error('FakeClerkApi: no such machine token');
    record.revoked = true;
    record.revocationReason = reason;
    record.updatedAt = Math.max(Date.now(), record.updatedAt + 1);
  }

  /** The stored record of an issued machine token (a copy), or `undefined`. */
  getMachineToken(token: string): FakeMachineTokenRecord | undefined {
    const record = this.machineTokens.get(token);
    return record ? structuredClone(record) : undefined;
  }

  /** Queues an injected failure; the first queued failure whose `pathPrefix` matches a request answers it. */
  failNext(failure: FakeFailure): void {
    const times = failure.times ?? 1;
    if (!Number.isInteger(failure.status) || failure.status < 400 || failure.status > 599) {
      throw new RangeError(`FakeClerkApi: failure status must be an integer 400-599, got ${failure.status}`);
    }
    if (!Number.isInteger(times) || times < 1) {
      throw new RangeError(`FakeClerkApi: failure times must be a positive integer, got ${times}`);
    }
    const pending: PendingFailure = {
      status: failure.status,
      retryAfterSeconds: failure.retryAfterSeconds,
      remaining: times,
      pathPrefix: failure.pathPrefix,
    };
    if (failure.code) this.failureErrors.set(pending, { code: failure.code, paramName: failure.paramName });
    this.failures.push(pending);
  }

  /** Forgets recorded requests, keeping the same array instance. */
  clearRequests(): void {
    this.requests.length = 0;
  }

  /** Stops listening and destroys open keep-alive sockets so the test runner can exit. */
  close(): Promise<void> {
    if (!this.server.listening) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.server.close((error) => (error ? reject(error) : resolve()));
      this.server.closeAllConnections();
    });
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const { path, query } = splitUrl(req.url ?? '/');
    const method = req.method ?? 'GET';
    const authorization = req.headers.authorization;
    this.requests.push({ method, path, query, authorization });
    // Read to the end even when unused: that keeps keep-alive connections reusable.
    void readJsonBody(req).then((body) => sendJson(res, this.respond(method, path, query, authorization, body)));
  }

  private respond(
    method: string,
    path: string,
    query: URLSearchParams,
    authorization: string | undefined,
    body: ParsedBody,
  ): JsonResponse {
    // Injected failures come first: they stand for the server being unavailable, whatever the request.
    const failure = this.takeFailure(path);
    if (failure) return this.injectedResponse(failure);
    if (authorization !== `Bearer ${this.options.secretKey}`) return unauthorized();
    if (body.problem) return body.problem;
    try {
      return this.route(method, path, query, body.value);
    } catch (error) {
      if (error instanceof HttpError) return error.response;
      return errorResponse(500, 'internal_clerk_error', 'internal error', String(error));
    }
  }

  private injectedResponse(failure: PendingFailure): JsonResponse {
    const response = failureResponse(failure);
    const error = this.failureErrors.get(failure);
    if (!error) return response;
    const meta = error.paramName ? { param_name: error.paramName } : {};
    return { ...response, body: errorResponse(failure.status, error.code, 'Injected failure', `Injected ${error.code} failure.`, meta).body };
  }

  private takeFailure(path: string): PendingFailure | undefined {
    const index = this.failures.findIndex((f) => f.pathPrefix === undefined || path.startsWith(f.pathPrefix));
    if (index === -1) return undefined;
    const failure = this.failures[index];
    failure.remaining -= 1;
    if (failure.remaining === 0) this.failures.splice(index, 1);
    return failure;
  }

  private route(method: string, path: string, query: URLSearchParams, body: unknown): JsonResponse {
    const segments = decodeSegments(path);
    for (const route of this.routes) {
      const params = matchRoute(route, method, segments);
      if (params) return route.handle(params, query, body);
    }
    return notFound();
  }

  private buildRoutes(): Route[] {
    // Literal routes precede `:id` ones so `/v1/users/count` is not read as a user id.
    const routes: Array<[string, RouteHandler]> = [
      ['GET /v1/jwks', () => ok(this.options.jwks)],
      ['GET /v1/users', (_, query) => ok(this.listUsersPage(query))],
      ['POST /v1/users', (_, __, body) => ok(this.createUserRoute(body))],
      ['GET /v1/users/count', (_, query) => ok({ object: 'total_count', total_count: hasUserFilters(query) ? this.filterUsers(query).length : this.users.size })],
      ['GET /v1/users/:id', ([id]) => ok(this.requireUser(id).json)],
      ['PATCH /v1/users/:id', ([id], __, body) => ok(this.updateUser(id, readUserPatch(body, this.requireUser(id).json, this.identifiers)))],
      ['DELETE /v1/users/:id', ([id]) => ok(this.deleteUserRoute(id))],
      ['PATCH /v1/users/:id/metadata', ([id], __, body) => ok(this.updateUser(id, metadataMergePatch(body, this.requireUser(id).json)))],
      ['PUT /v1/users/:id/metadata', ([id], __, body) => ok(this.updateUser(this.requireUser(id).json.id, replacedMetadata(body)))],
      ['POST /v1/users/:id/ban', ([id]) => ok(this.banRoute(id, true))],
      ['POST /v1/users/:id/unban', ([id]) => ok(this.banRoute(id, false))],
      ['POST /v1/users/:id/lock', ([id]) => ok(this.lockRoute(id, true))],
      ['POST /v1/users/:id/unlock', ([id]) => ok(this.lockRoute(id, false))],
      ['GET /v1/users/:id/organization_memberships', ([id], query) => ok(this.userMemberships(id, query))],
      ['GET /v1/organizations', (_, query) => ok(this.listOrganizationsPage(query))],
      ['GET /v1/organizations/:idOrSlug', ([idOrSlug]) => ok(this.requireOrganization(idOrSlug).json)],
      ['GET /v1/organizations/:id/memberships', ([id], query) => ok(this.organizationMemberships(id, query))],
      // Machine token verification lives outside /v1: @clerk/backend builds these URLs without the version segment.
      ['POST /m2m_tokens/verify', (_, __, body) => ok(this.verifyMachineToken('m2m_token', body))],
      ['POST /api_keys/verify', (_, __, body) => ok(this.verifyMachineToken('api_key', body))],
      ['POST /oauth_applications/access_tokens/verify', (_, __, body) => ok(this.verifyMachineToken('oauth_token', body))],
      ...this.accounts.routes(),
    ];
    return routes.map(([spec, handle]) => {
      const [method, path] = spec.split(' ');
      return { method, pattern: path.split('/').filter((s) => s !== ''), handle };
    });
  }

  private listUsersPage(query: URLSearchParams): ClerkUserJson[] {
    if (hasUserFilters(query)) return paginate(this.filterUsers(query), query, USER_SORT_FIELDS, '-created_at').map((stored) => stored.json);
    const orderBy = query.get('order_by') ?? '-created_at';
    let sorted = this.sortedUsers.get(orderBy);
    if (!sorted) {
      sorted = sortItems([...this.users.values()], orderBy, USER_SORT_FIELDS);
      this.sortedUsers.set(orderBy, sorted);
    }
    const limit = parseIntegerParam(query, 'limit', DEFAULT_LIMIT, 1, MAX_LIMIT);
    const offset = parseIntegerParam(query, 'offset', 0, 0, Number.MAX_SAFE_INTEGER);
    return sorted.slice(offset, offset + limit).map((stored) => stored.json);
  }

  /** Applies the `/v1/users` filters shared by the list and the count: repeated keys OR, distinct keys AND. */
  private filterUsers(query: URLSearchParams): Array<Stored<ClerkUserJson>> {
    const ids = query.getAll('user_id');
    const emails = query.getAll('email_address').map((e) => e.toLowerCase());
    const usernames = query.getAll('username').map((u) => u.toLowerCase());
    const externalIds = query.getAll('external_id');
    const organizationIds = query.getAll('organization_id');
    const text = query.get('query')?.toLowerCase();
    return this.filterCandidates(emails, externalIds).filter(({ json }) => {
      if (ids.length > 0 && !ids.includes(json.id)) return false;
      if (emails.length > 0 && !emailsOf(json).some((e) => emails.includes(e))) return false;
      if (usernames.length > 0 && !usernames.includes((json.username ?? '').toLowerCase())) return false;
      if (externalIds.length > 0 && !externalIds.includes(String(json.external_id))) return false;
      if (organizationIds.length > 0 && !this.isMemberOfAny(json.id, organizationIds)) return false;
      return !text || searchableTextOf(json).some((value) => value.includes(text));
    });
  }

  /** Users that can match: by the identifier index when an email or external id filter narrows it, else all. */
  private filterCandidates(emails: string[], externalIds: string[]): Array<Stored<ClerkUserJson>> {
    if (emails.length === 0 && externalIds.length === 0) return [...this.users.values()];
    const ids = new Set([
      ...emails.map((email) => this.identifiers.ownerOf('email_address', email)),
      ...externalIds.map((externalId) => this.identifiers.ownerOf('external_id', externalId)),
    ]);
    return [...ids].flatMap((id) => {
      const stored = id === undefined ? undefined : this.users.get(id);
      return stored ? [stored] : [];
    });
  }

  private isMemberOfAny(userId: string, organizationIds: string[]): boolean {
    return [...this.memberships.values()].some(
      (m) => m.userId === userId && organizationIds.includes(m.organizationId),
    );
  }

  private verifyMachineToken(type: ClerkMachineTokenType, body: unknown): Record<string, unknown> {
    const field = MACHINE_VERIFY_FIELDS[type];
    const presented = body && typeof body === 'object' ? (body as Record<string, unknown>)[field] : undefined;
    if (typeof presented !== 'string' || !presented) {
      throw new HttpError(errorResponse(422, 'form_param_missing', 'missing requested parameter', `${field} must be included.`, { param_name: field }));
    }
    const record = this.machineTokens.get(presented);
    const refusal = machineTokenRefusal(record, type);
    // Unknown, revoked and expired tokens all answer 404: @clerk/backend reads a 404 as an invalid token.
    if (refusal || !record) throw new HttpError(errorResponse(404, 'resource_not_found', 'not found', refusal ?? 'Resource not found'));
    if (type === 'api_key') record.lastUsedAt = Date.now();
    return renderMachineToken(record);
  }

  private createUserRoute(body: unknown): ClerkUserJson {
    const { json, credentials } = createFakeUser(body, this.identifiers);
    this.users.set(json.id, { json, seq: this.nextSeq() });
    this.identifiers.add(json);
    this.credentials.set(json.id, credentials);
    this.sortedUsers.clear();
    return json;
  }

  /** A ban also revokes every session of the user, as Clerk's does. */
  private banRoute(id: string, banned: boolean): ClerkUserJson {
    this.requireUser(id);
    if (banned) this.accounts.endSessionsOf(id, 'revoked');
    return this.updateUser(id, { banned });
  }

  private lockRoute(id: string, locked: boolean): ClerkUserJson {
    this.requireUser(id);
    // Clerk reports the remaining lockout only while locked (default lockout: one hour when locked by the API).
    return this.updateUser(id, { locked, lockout_expires_in_seconds: locked ? 3600 : null });
  }

  private deleteUserRoute(id: string): { object: 'user'; id: string; deleted: true } {
    this.requireUser(id);
    this.removeUser(id);
    return { object: 'user', id, deleted: true };
  }

  private userMemberships(userId: string, query: URLSearchParams): ListPage<ClerkOrganizationMembershipJson> {
    this.requireUser(userId);
    const records = [...this.memberships.values()].filter((m) => m.userId === userId);
    return this.membershipPage(records, query);
  }

  private organizationMemberships(idOrSlug: string, query: URLSearchParams): ListPage<ClerkOrganizationMembershipJson> {
    const organizationId = this.requireOrganization(idOrSlug).json.id;
    const userIds = query.getAll('user_id');
    const roles = query.getAll('role');
    const records = [...this.memberships.values()].filter(
      (m) =>
        m.organizationId === organizationId &&
        (userIds.length === 0 || userIds.includes(m.userId)) &&
        (roles.length === 0 || roles.includes(m.role)),
    );
    return this.membershipPage(records, query);
  }

  private membershipPage(
    records: MembershipRecord[],
    query: URLSearchParams,
  ): ListPage<ClerkOrganizationMembershipJson> {
    // Rendered on each request so the nested organization and user data reflect later updates.
    const rendered = records.map((record) => ({ json: this.renderMembership(record), seq: record.seq }));
    const page = paginate(rendered, query, MEMBERSHIP_SORT_FIELDS, '-created_at');
    return { data: page.map((stored) => stored.json), total_count: records.length };
  }

  private listOrganizationsPage(query: URLSearchParams): ListPage<ClerkOrganizationJson> {
    // include_members_count is accepted but changes nothing: members_count is always present.
    const ids = query.getAll('organization_id');
    const text = query.get('query')?.toLowerCase();
    const matching = [...this.organizations.values()].filter(
      ({ json }) =>
        (ids.length === 0 || ids.includes(json.id)) &&
        (!text || [json.id, json.name, json.slug].some((value) => value.toLowerCase().includes(text))),
    );
    const page = paginate(matching, query, ORGANIZATION_SORT_FIELDS, '-created_at');
    return { data: page.map((stored) => stored.json), total_count: matching.length };
  }

  private renderMembership(record: MembershipRecord): ClerkOrganizationMembershipJson {
    const organization = this.organizations.get(record.organizationId);
    const user = this.users.get(record.userId);
    // Deletions cascade, so a dangling record would be a bug in this class.
    if (!organization || !user) throw new Error(`FakeClerkApi: membership ${record.id} is dangling`);
    return structuredClone(
      buildClerkMembership({
        organization: organization.json,
        user: user.json,
        id: record.id,
        role: record.role,
        permissions: record.permissions,
        createdAt: record.createdAt,
        updatedAt: record.updatedAt,
      }),
    );
  }

  private requireUser(id: string): Stored<ClerkUserJson> {
    const stored = this.users.get(id);
    if (!stored) throw new HttpError(notFound());
    return stored;
  }

  private requireOrganization(idOrSlug: string): Stored<ClerkOrganizationJson> {
    const stored = this.findOrganization(idOrSlug);
    if (!stored) throw new HttpError(notFound());
    return stored;
  }

  private findOrganization(idOrSlug: string): Stored<ClerkOrganizationJson> | undefined {
    const byId = this.organizations.get(idOrSlug);
    return byId ?? [...this.organizations.values()].find((stored) => stored.json.slug === idOrSlug);
  }

  private nextSeq(): number {
    this.seq += 1;
    return this.seq;
  }
}
