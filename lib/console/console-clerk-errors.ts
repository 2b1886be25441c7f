import { ConflictException, HttpException, HttpStatus, NotFoundException, ServiceUnavailableException, UnprocessableEntityException } from '@nestjs/common';
import { isClerkAPIResponseError } from '@clerk/shared/error';
import { ClerkApiError } from '../accounts/clerk-api.error.js';
import { ClerkUserNotLinkedError } from '../accounts/clerk-user-not-linked.error.js';
import { ClerkApiTimeoutError } from '../clerk-client/clerk-api-deadline.js';

/** A failed Clerk call of a console action as its HTTP answer: what the page can tell staff, never a secret. */
export function consoleClerkError(error: unknown): unknown {
  if (error instanceof ClerkUserNotLinkedError) return new ConflictException('This account has no Clerk identity');
  if (error instanceof ClerkApiTimeoutError) return new ServiceUnavailableException('Clerk did not answer in time');
  const status = error instanceof ClerkApiError ? error.status : isClerkAPIResponseError(error) ? error.status : undefined;
  if (status === undefined) return error;
  const code = error instanceof ClerkApiError ? error.code : isClerkAPIResponseError(error) ? (error.errors[0]?.code ?? null) : null;
  if (status === null || status >= 500) return new ServiceUnavailableException('Clerk is unavailable; try again');
  if (status === 404) return new NotFoundException({ message: 'Clerk has no such user', code });
  if (status === 429) return new HttpException({ message: 'Clerk asks to slow down; try again shortly', code }, HttpStatus.TOO_MANY_REQUESTS);
  return new UnprocessableEntityException({ message: 'Clerk refused the action', code });
}
