import { ClerkTokenRejectedError } from '../token-rejected.error.js';
import type { ClerkTokenVerifier } from '../clerk-token-verifier.service.js';
import type { ClerkRequestAuth } from '../clerk-auth.interface.js';

/** The verified session of `token`; any failure is a refusal (a 401), never a crash. */
export async function verifiedSessionToken(verifier: ClerkTokenVerifier, token: string): Promise<ClerkRequestAuth> {
  try {
    return await verifier.verify(token);
  } catch (error) {
    if (error instanceof ClerkTokenRejectedError) throw error;
    throw new ClerkTokenRejectedError('token-unverifiable', error instanceof Error ? error.message : undefined);
  }
}
