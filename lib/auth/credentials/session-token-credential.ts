import { ClerkTokenRejectedError } from '../token-rejected.error.js';
import { ClerkApiUnavailableException } from '../../clerk-client/clerk-api-unavailable.exception.js';
import type { ClerkTokenVerifier } from '../clerk-token-verifier.service.js';
import type { ClerkRequestAuth } from '../clerk-auth.interface.js';

/** The verified session of `token`; any failure is a refusal (a 401), never a crash, but Clerk not serving the JWKS (a 503). */
export async function verifiedSessionToken(verifier: ClerkTokenVerifier, token: string, carrier: 'header' | 'cookie' = 'header'): Promise<ClerkRequestAuth> {
  try {
    return await verifier.verify(token, carrier);
  } catch (error) {
    if (error instanceof ClerkTokenRejectedError || error instanceof ClerkApiUnavailableException) throw error;
    throw new ClerkTokenRejectedError('token-unverifiable', error instanceof Error ? error.message : undefined);
  }
}
