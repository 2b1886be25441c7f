/** Why a credential was refused (a 401). Never carries the token itself. */
export class ClerkTokenRejectedError extends Error {
  /** Where the refused credential came from (`header`, `cookie`, `server session`), once known. */
  carrier: string | null = null;

  constructor(
    readonly reason: string,
    detail?: string,
  ) {
    super(detail ? `${reason}: ${detail}` : reason);
    this.name = 'ClerkTokenRejectedError';
  }

  /** Records where the credential came from, unless a deeper step already did. */
  from(carrier: string): this {
    this.carrier ??= carrier;
    return this;
  }
}
