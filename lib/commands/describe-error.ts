import { networkReason } from '../sync/clerk-api-failure.js';

// Clerk secret keys, Svix secrets and bearer tokens: never printed, whatever an error message carries.
const SECRETS = /\b(sk|rk|ak|mt|oat)_(live|test)_[A-Za-z0-9_-]+|\bwhsec_[A-Za-z0-9+/=]+|\bBearer\s+[A-Za-z0-9._~+/=-]+/g;

/** Removes anything shaped like a Clerk secret key, webhook secret or bearer token. */
export const redactSecrets = (text: string): string => text.replace(SECRETS, '[redacted]');

/**
 * An error as one line for the terminal: its message and, when the message does not say it, the
 * network reason below it (`cause`), e.g. a database that refused the connection.
 */
export function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message || error.name : String(error);
  const reason = error instanceof Error && error.cause !== undefined ? networkReason(error.cause) : null;
  return redactSecrets(reason && !message.includes(reason) ? `${message} (${reason})` : message);
}

/** Whether an error comes from a connection (refused, reset, DNS, timeout) rather than from the input. */
export const isNetworkFailure = (error: unknown): boolean => networkReason(error) !== null;
