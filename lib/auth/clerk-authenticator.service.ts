import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { isTokenTypeAccepted } from '@clerk/backend/internal';
import type { AbstractClerkUser } from '../users/abstract-clerk-user.entity.js';
import { ClerkUserNotFoundError } from '../users/clerk-user-not-found.error.js';
import { CLERK_CREDENTIAL_SOURCES } from './auth.constants.js';
import type { ClerkAuth, ClerkMachineAuth, ClerkMachineTokenType, ClerkRequestAuth } from './clerk-auth.interface.js';
import type { ClerkAuthenticatedRequest } from './clerk-request.interface.js';
import { machineTokenTypeOf } from './clerk-token-kind.js';
import { ClerkSessionRevocations } from './clerk-session-revocations.service.js';
import { ClerkUserResolver } from './clerk-user-resolver.js';
import type { ClerkCredential, ClerkCredentialInput, ClerkCredentialSource } from './credentials/clerk-credential.js';
import { ClerkSessionCookies } from './credentials/session-cookies.service.js';
import { ClerkMachineTokenVerifier } from './machine-token-verifier.service.js';
import { DEFAULT_PIPELINE_HOOKS, type ClerkPipelineHooks } from './pipeline-hooks.js';
import { checkedNarrowing } from './narrowed-auth.js';
import { discoverEnrichers, type ClerkRequestEnricher, type ClerkRequestFields } from './request-enricher.js';
import { writeMachineState, writeUserState } from './request-state.js';
import { ClerkTokenRejectedError } from './token-rejected.error.js';
import { ClerkApiUnavailableException } from '../clerk-client/clerk-api-unavailable.exception.js';

/** What the pipeline accepted: the request state to write, once. */
interface AcceptedCredential<T extends AbstractClerkUser> {
  user: T;
  /** The credential's auth, or the narrowed one an enricher returned (another organization). */
  auth: ClerkAuth;
  fields: ClerkRequestFields | null;
}

/**
 * The request pipeline, one way: credential sources in order (bearer header, server session when
 * enabled, cookie), the first verified credential wins → revocation list → user resolution
 * (`ClerkUserResolver`) → active check → enrichers (which may narrow `auth` to another org) →
 * request state, written once. `null` when the
 * request carries no credential; a refusal is a `ClerkTokenRejectedError` (the guard turns it into
 * its 401 through `refuse`). Sources never call back and nothing but this class writes the request.
 */
@Injectable()
export class ClerkAuthenticator<T extends AbstractClerkUser = AbstractClerkUser> implements OnModuleInit {
  private enrichers: ClerkRequestEnricher<T>[] = [];

  constructor(
    @Inject(CLERK_CREDENTIAL_SOURCES) private readonly sources: ReadonlyArray<ClerkCredentialSource<T>>,
    private readonly cookies: ClerkSessionCookies,
    private readonly resolver: ClerkUserResolver<T>,
    private readonly revocations: ClerkSessionRevocations,
    private readonly machines: ClerkMachineTokenVerifier,
    private readonly discovery: DiscoveryService,
  ) {}

  onModuleInit(): void {
    this.enrichers = discoverEnrichers(this.discovery) as ClerkRequestEnricher<T>[];
  }

  /** Whether the request carries a credential any source would read (a token, or a server session holding a login). */
  hasToken(request: ClerkAuthenticatedRequest<T>, hooks: ClerkPipelineHooks<T> = DEFAULT_PIPELINE_HOOKS): boolean {
    const input = this.inputOf(request, hooks);
    return this.sources.some((source) => source.present(request, input));
  }

  /** The request's user after the whole pipeline, or `null` without a credential; throws `ClerkTokenRejectedError` to refuse. */
  async authenticate(request: ClerkAuthenticatedRequest<T>, hooks: ClerkPipelineHooks<T> = DEFAULT_PIPELINE_HOOKS): Promise<T | null> {
    const credential = await this.credentialOf(request, this.inputOf(request, hooks));
    if (!credential) return null;
    let accepted: AcceptedCredential<T>;
    try {
      accepted = await this.accept(request, credential, hooks);
    } catch (error) {
      if (error instanceof ClerkTokenRejectedError) {
        credential.settlement?.refused?.();
        error.from(credential.carrier);
      }
      throw error;
    }
    await credential.settlement?.accepted?.();
    writeUserState(request, accepted.auth, accepted.user, accepted.fields);
    return accepted.user;
  }

  /**
   * Authenticates a machine caller (the stateless credential only, never a cookie) on a route that
   * accepts machines: `accepted` narrows the kinds (`null`: every kind `acceptsToken` names). Writes
   * `request.auth` (a `ClerkMachineAuth`), never `request.user`. `null` when the request carries no
   * machine token; a machine token that does not pass is refused.
   */
  async authenticateMachine(
    request: ClerkAuthenticatedRequest<T>,
    accepted: readonly ClerkMachineTokenType[] | null,
    hooks: ClerkPipelineHooks<T> = DEFAULT_PIPELINE_HOOKS,
  ): Promise<ClerkMachineAuth | null> {
    if (!this.machines.acceptsAny) return null;
    const token = hooks.extractCredential(request);
    const type = token ? machineTokenTypeOf(token) : null;
    if (!token || !type) return null;
    if (accepted && !isTokenTypeAccepted(type, accepted as ClerkMachineTokenType[])) throw new ClerkTokenRejectedError('token-type-not-accepted-here', type).from('header');
    let auth: ClerkMachineAuth;
    try {
      auth = await this.machines.verify(token, type);
    } catch (error) {
      if (error instanceof ClerkApiUnavailableException) throw error; // Clerk did not answer: a 503, not a refusal
      throw rejection(error).from('header');
    }
    writeMachineState(request, auth);
    return auth;
  }

  private inputOf(request: ClerkAuthenticatedRequest<T>, hooks: ClerkPipelineHooks<T>): ClerkCredentialInput {
    const bearer = hooks.extractCredential(request);
    return { bearer, cookie: bearer === null ? this.cookies.read(request) : null };
  }

  private async credentialOf(request: ClerkAuthenticatedRequest<T>, input: ClerkCredentialInput): Promise<ClerkCredential<T> | null> {
    for (const source of this.sources) {
      let credential: ClerkCredential<T> | null;
      try {
        credential = await source.read(request, input);
      } catch (error) {
        if (error instanceof ClerkTokenRejectedError) error.from(source.carrier);
        throw error;
      }
      if (credential) return credential;
    }
    return null;
  }

  /** Revocation → user → active check → enrichers; nothing written yet. */
  private async accept(request: ClerkAuthenticatedRequest<T>, credential: ClerkCredential<T>, hooks: ClerkPipelineHooks<T>): Promise<AcceptedCredential<T>> {
    const { auth } = credential;
    const session = isClerkSession(auth) ? auth : null;
    if (session && (await this.revocations.isRevoked(session.sessionId))) throw new ClerkTokenRejectedError('session-revoked');
    const user = credential.user ?? (session ? await this.resolveUser(session) : null);
    if (!user) throw new ClerkTokenRejectedError('no-local-user');
    if (!hooks.isUserActive(user, auth)) throw new ClerkTokenRejectedError('user-inactive');
    if (!session || !this.enrichers.length) return { user, auth, fields: null };
    return { user, ...(await this.enrich(request, user, session)) };
  }

  private async resolveUser(auth: ClerkRequestAuth): Promise<T> {
    try {
      return await this.resolver.resolve(auth);
    } catch (error) {
      if (error instanceof ClerkUserNotFoundError) throw new ClerkTokenRejectedError('clerk-user-not-found');
      throw error;
    }
  }

  /** Each enricher in turn; one that returns `auth` narrows it (checked) for the enrichers after it and for the request. */
  private async enrich(request: ClerkAuthenticatedRequest<T>, user: T, verified: ClerkRequestAuth): Promise<{ auth: ClerkRequestAuth; fields: ClerkRequestFields | null }> {
    let auth = verified;
    let fields: ClerkRequestFields | null = null;
    for (const enricher of this.enrichers) {
      const added = await enricher.enrich(request, user, auth);
      if (!added) continue;
      const { auth: narrowed, ...rest } = added;
      if (narrowed !== undefined) auth = checkedNarrowing(auth, narrowed, enricher.constructor.name);
      fields = fields ? Object.assign(fields, rest) : rest;
    }
    return { auth, fields };
  }
}

function isClerkSession(auth: ClerkAuth): auth is ClerkRequestAuth {
  return auth.tokenType === 'session_token';
}

function rejection(error: unknown): ClerkTokenRejectedError {
  if (error instanceof ClerkTokenRejectedError) return error;
  return new ClerkTokenRejectedError('token-unverifiable', error instanceof Error ? error.message : undefined);
}
