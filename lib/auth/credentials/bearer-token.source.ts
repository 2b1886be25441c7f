import { Injectable } from '@nestjs/common';
import { ClerkTokenVerifier } from '../clerk-token-verifier.service.js';
import type { ClerkCredential, ClerkCredentialInput, ClerkCredentialSource } from './clerk-credential.js';
import { verifiedSessionToken } from './session-token-credential.js';

/** The stateless token (`Authorization: Bearer …`, or what a guard's `extractCredential` returns): always first, always wins. */
@Injectable()
export class BearerTokenSource implements ClerkCredentialSource {
  readonly carrier = 'header';

  constructor(private readonly verifier: ClerkTokenVerifier) {}

  present(_request: unknown, input: ClerkCredentialInput): boolean {
    return input.bearer !== null;
  }

  async read(_request: unknown, input: ClerkCredentialInput): Promise<ClerkCredential | null> {
    if (input.bearer === null) return null;
    return { auth: await verifiedSessionToken(this.verifier, input.bearer), carrier: 'header' };
  }
}
