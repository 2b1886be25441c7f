import { Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import type { AbstractClerkUser } from '../users/abstract-clerk-user.entity';
import { ClerkUserNotFoundError, ClerkUserResolver } from '../users/clerk-user-resolver.service';
import { AUTHENTICATED_REQUESTS } from './auth.constants';
import type { ClerkAuthenticatedRequest } from './clerk-request.interface';
import type { ClerkRequestAuth } from './clerk-auth.interface';
import { ClerkTokenVerifier } from './clerk-token-verifier.service';
import { ClerkSessionRevocations } from './clerk-session-revocations.service';
import { ClerkTokenRejectedError } from './token-rejected.error';
import { extractSessionToken } from './token-extractor';

/** Runs after a successful authentication (e.g. `OrganizationsModule` resolving `request.organization`). */
export type ClerkRequestEnricher = (request: ClerkAuthenticatedRequest, user: AbstractClerkUser, auth: ClerkRequestAuth) => Promise<void>;

/**
 * request → token → verified auth → local user. Sets `request.auth`, `request.org` and returns
 * the user; `null` when the request carries no token. Every refusal is the same generic 401.
 */
@Injectable()
export class ClerkAuthenticator<T extends AbstractClerkUser = AbstractClerkUser> {
  private readonly logger = new Logger('ClerkAuth');
  private readonly enrichers: ClerkRequestEnricher[] = [];

  constructor(
    private readonly verifier: ClerkTokenVerifier,
    private readonly resolver: ClerkUserResolver<T>,
    private readonly revocations: ClerkSessionRevocations,
  ) {}

  /** Adds a step that runs after every successful authentication. */
  addEnricher(enricher: ClerkRequestEnricher): void {
    this.enrichers.push(enricher);
  }

  hasToken(request: ClerkAuthenticatedRequest<T>): boolean {
    return extractSessionToken(request) !== null;
  }

  async authenticate(request: ClerkAuthenticatedRequest<T>): Promise<T | null> {
    const extracted = extractSessionToken(request);
    if (!extracted) return null;
    let user: T;
    let auth: ClerkRequestAuth;
    try {
      auth = await this.verifier.verify(extracted.token);
    } catch (error) {
      return this.refuse(error, extracted.carrier);
    }
    if (await this.revocations.isRevoked(auth.sessionId)) return this.refuse(new ClerkTokenRejectedError('session-revoked'), extracted.carrier);
    try {
      user = await this.resolver.resolve(auth);
    } catch (error) {
      if (error instanceof ClerkUserNotFoundError) return this.refuse(error, extracted.carrier);
      throw error;
    }
    if (!user.isActive) return this.refuse(new ClerkTokenRejectedError('user-inactive'), extracted.carrier);
    request.auth = auth;
    request.org = auth.orgId;
    request.user = user;
    for (const enrich of this.enrichers) await enrich(request, user, auth);
    AUTHENTICATED_REQUESTS.add(request);
    return user;
  }

  private refuse(error: unknown, carrier: string): never {
    const reason = error instanceof ClerkTokenRejectedError ? error.reason : (error as Error)?.message ?? 'unknown';
    this.logger.debug(`session token from ${carrier} refused: ${reason}`);
    throw new UnauthorizedException();
  }
}
