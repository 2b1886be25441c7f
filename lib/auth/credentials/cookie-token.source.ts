import { Injectable } from '@nestjs/common';
import { ClerkTokenVerifier } from '../clerk-token-verifier.service.js';
import type { ClerkCredential, ClerkCredentialInput, ClerkCredentialSource } from './clerk-credential.js';
import { verifiedSessionToken } from './session-token-credential.js';

/** Clerk's session cookie, verified like a bearer token (stateless); the last source asked. */
@Injectable()
export class CookieTokenSource implements ClerkCredentialSource {
  readonly carrier = 'cookie';

  constructor(private readonly verifier: ClerkTokenVerifier) {}

  present(_request: unknown, input: ClerkCredentialInput): boolean {
    return input.cookie !== null;
  }

  async read(_request: unknown, input: ClerkCredentialInput): Promise<ClerkCredential | null> {
    if (input.cookie === null) return null;
    return { auth: await verifiedSessionToken(this.verifier, input.cookie), carrier: 'cookie' };
  }
}
