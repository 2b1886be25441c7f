/** Why a session token was refused. Never carries the token itself. */
export class ClerkTokenRejectedError extends Error {
  constructor(readonly reason: string, detail?: string) {
    super(detail ? `${reason}: ${detail}` : reason);
    this.name = 'ClerkTokenRejectedError';
  }
}
