import { randomBytes } from 'node:crypto';
import {
  BadRequestException,
  ForbiddenException,
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
  Logger,
  UnauthorizedException,
  type OnModuleInit,
} from '@nestjs/common';
import { CLERK_RESOLVED_OPTIONS } from '../clerk-users.constants.js';
import type { ResolvedClerkUsersOptions } from '../options/clerk-users-options.interface.js';
import type { ResolvedLocalAuthOptions } from '../options/local-auth-options.js';
import type { AbstractClerkUser } from '../users/abstract-clerk-user.entity.js';
import { hashPassword, needsRehash, verifyPassword } from '../users/password-hasher.js';
import { StaffAccountsService, type LocalLoginIdentifier } from '../users/staff-accounts.service.js';
import type { RequestWithHeaders } from '../auth/token-extractor.js';
import { isUntrustedUnsafeRequest } from '../auth/csrf-check.js';
import { digestOf } from './server-session-access.js';
import { LocalLoginLimiter } from './local-login-limiter.js';
import { MAX_LOGIN_FIELD_LENGTH } from './sessions.constants.js';

/** 429 of a login attempt over a failure limit; carries the `Retry-After` seconds. */
export class LocalLoginRateLimitedException extends HttpException {
  constructor(readonly retryAfterSeconds: number) {
    super({ message: 'Too Many Requests', statusCode: HttpStatus.TOO_MANY_REQUESTS }, HttpStatus.TOO_MANY_REQUESTS);
  }
}

/** What a login request carries. */
export interface LocalLoginRequest extends RequestWithHeaders {
  method?: string;
  body?: unknown;
  ip?: string;
  socket?: { remoteAddress?: string };
}

interface LoginCredentials {
  identifier: LocalLoginIdentifier;
  password: string;
}

const field = (body: Record<string, unknown>, name: string, max: number): string | undefined => {
  const value = body[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || value.length > max) throw new BadRequestException('Invalid login request');
  return value;
};

function credentialsOf(body: unknown): LoginCredentials {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new BadRequestException('Invalid login request');
  const values = body as Record<string, unknown>;
  const email = field(values, 'email', MAX_LOGIN_FIELD_LENGTH.identifier);
  const username = field(values, 'username', MAX_LOGIN_FIELD_LENGTH.identifier);
  const password = field(values, 'password', MAX_LOGIN_FIELD_LENGTH.password);
  if (!password || (!email && !username)) throw new BadRequestException('Invalid login request');
  return { identifier: email ? { email } : { username: username! }, password };
}

/** The client address (`request.ip` honours the app's `trust proxy` setting); `LocalLoginLimiter.ipKey` folds it to what is counted. */
function clientIp(request: LocalLoginRequest): string {
  return request.ip ?? request.socket?.remoteAddress ?? 'unknown';
}

/**
 * Checks a password login: CSRF origin, failure limits per account and per IP, then the scrypt
 * check. An unknown account is checked against a dummy hash, so it costs the same work and gets
 * the same generic 401 as a wrong password.
 */
@Injectable()
export class LocalLoginService implements OnModuleInit {
  private readonly logger = new Logger('ClerkLocalAuth');
  private readonly settings: ResolvedLocalAuthOptions;
  private dummyHash: Promise<string> | undefined;

  constructor(
    @Inject(CLERK_RESOLVED_OPTIONS) private readonly options: ResolvedClerkUsersOptions,
    private readonly staff: StaffAccountsService,
    private readonly limiter: LocalLoginLimiter,
  ) {
    if (!options.localAuth) throw new Error('LocalLoginService needs the "localAuth" option');
    this.settings = options.localAuth;
  }

  /** The dummy hash is made at boot, so the first unknown-account attempt costs no more than the others. */
  async onModuleInit(): Promise<void> {
    await this.dummy();
  }

  /** The local account whose password the request proves (without its `passwordHash`), or an HTTP error. */
  async authenticate(request: LocalLoginRequest): Promise<AbstractClerkUser> {
    if (isUntrustedUnsafeRequest(request, this.options.authorizedParties)) {
      this.logger.debug('login from an untrusted origin refused (CSRF)');
      throw new ForbiddenException();
    }
    const { identifier, password } = credentialsOf(request.body);
    const row = await this.staff.findForLogin(identifier);
    const account = row ? `user:${row.id}` : `name:${digestOf(identifier.email !== undefined ? `email:${identifier.email.trim().toLowerCase()}` : `username:${identifier.username}`)}`;
    const gate = await this.limiter.begin([
      { key: LocalLoginLimiter.accountKey(account), limit: this.settings.maxFailuresPerAccount, resetOnSuccess: true },
      { key: LocalLoginLimiter.ipKey(clientIp(request)), limit: this.settings.maxFailuresPerIp, resetOnSuccess: false },
    ]);
    if (gate.limited) {
      this.logger.warn(`login attempt refused: too many failures (retry in ${gate.retryAfterSeconds} s)`);
      throw new LocalLoginRateLimitedException(gate.retryAfterSeconds);
    }
    let succeeded = false;
    try {
      const usable = row !== null && StaffAccountsService.canUsePassword(row);
      const matches = await verifyPassword(password, usable ? row.passwordHash! : await this.dummy());
      succeeded = usable && matches;
    } finally {
      await gate.finish(succeeded);
    }
    if (!succeeded || !row) {
      this.logger.debug('login refused: unknown account, wrong password, or an account that cannot use a password');
      throw new UnauthorizedException();
    }
    if (needsRehash(row.passwordHash!)) await this.upgradeHash(row, password);
    delete row.passwordHash;
    return row;
  }

  /** A hash older than today's parameters is replaced now, while the password is at hand; the login stands either way. */
  private async upgradeHash(row: AbstractClerkUser, password: string): Promise<void> {
    try {
      const upgraded = await this.staff.upgradePasswordHash(row.id, row.passwordHash!, password);
      if (upgraded) this.logger.log(`password hash of local account ${row.id} upgraded to the current scrypt parameters`);
    } catch (error) {
      this.logger.warn(`password hash of local account ${row.id} not upgraded: ${(error as Error).message}`);
    }
  }

  /** A hash of a random password with the real parameters, made once. */
  private dummy(): Promise<string> {
    this.dummyHash ??= hashPassword(randomBytes(24).toString('base64url'));
    return this.dummyHash;
  }
}
