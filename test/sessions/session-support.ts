import { Controller, Delete, Get, HttpCode, Post, Query, Req, UseGuards } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { INestApplication, LoggerService } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import session from 'express-session';
import fastifyCookie from '@fastify/cookie';
import fastifySession from '@fastify/session';
import type { Response } from 'supertest';
import { CLERK_LOCAL_STRATEGY_NAME, CLERK_SERVER_SESSION_KEY, ClerkServerSessions, Public, type AbstractClerkUser, type ClerkAuthenticatedRequest } from '../../lib/index.js';
import type { TestPlatform } from '../support/create-app.js';

const SECRET = 'a-test-session-secret-that-is-long-enough-0123456789';

/** The cookie each session middleware names its session id. */
export const SESSION_COOKIE: Record<TestPlatform, string> = { express: 'connect.sid', fastify: 'sessionId' };

/** A session store both platforms' middleware accept, shared by app instances in one process. */
export function memoryStore(platform: TestPlatform): unknown {
  // @fastify/session's typings declare the export as an instance; at run time it is the class.
  const FastifyMemoryStore = fastifySession.MemoryStore as unknown as new () => object;
  return platform === 'express' ? new session.MemoryStore() : new FastifyMemoryStore();
}

/**
 * Installs the platform's session middleware as an app would: express-session, or @fastify/cookie
 * + @fastify/session, with `saveUninitialized: false` (as the README asks) and a plain-HTTP cookie.
 */
export function withSessionMiddleware(platform: TestPlatform, store: unknown = memoryStore(platform)) {
  return async (app: INestApplication): Promise<void> => {
    if (platform === 'express') {
      app.use(session({ secret: SECRET, resave: false, saveUninitialized: false, store: store as session.Store, cookie: { sameSite: 'lax', httpOnly: true } }));
      return;
    }
    const fastify = app as NestFastifyApplication;
    await fastify.register(fastifyCookie as never);
    await fastify.register(fastifySession as never, { secret: SECRET, saveUninitialized: false, store, cookie: { secure: false, sameSite: 'lax', httpOnly: true } } as never);
  };
}

/** The session id cookie a response set (`name=value`), or `null`. */
export function sessionCookieOf(response: Response, platform: TestPlatform): string | null {
  const header = response.headers['set-cookie'] as unknown as string[] | undefined;
  const cookie = (header ?? []).find((line) => line.startsWith(`${SESSION_COOKIE[platform]}=`));
  return cookie ? cookie.split(';')[0] : null;
}

export const sessionTokenCookie = (token: string): string => `__session=${token}`;

/** Records log lines so a test can assert what the app told its operator. */
export class RecordingLogger implements LoggerService {
  readonly lines: Array<{ level: string; message: string }> = [];
  log(message: unknown): void {
    this.lines.push({ level: 'log', message: String(message) });
  }
  error(message: unknown): void {
    this.lines.push({ level: 'error', message: String(message) });
  }
  warn(message: unknown): void {
    this.lines.push({ level: 'warn', message: String(message) });
  }
  debug(message: unknown): void {
    this.lines.push({ level: 'debug', message: String(message) });
  }
}

type SessionRequest = ClerkAuthenticatedRequest & { session?: Record<string, unknown> | null };

/** Routes that show what the guard made of a request, plus test-only levers on the server session. */
@Controller('session-probe')
export class SessionProbeController {
  @Get('whoami')
  whoami(@Req() request: SessionRequest) {
    const { auth, user } = request;
    return {
      method: auth?.method,
      tokenType: auth?.tokenType,
      userId: auth?.userId,
      localUserId: auth?.method === 'local' ? auth.localUserId : null,
      sessionId: auth?.tokenType === 'session_token' ? auth.sessionId : null,
      org: request.org ?? null,
      user: { id: user?.id, email: user?.email, clerkId: user?.clerkId },
    };
  }

  /** The entity as a controller that returns it would serialise it. */
  @Get('user')
  user(@Req() request: SessionRequest): AbstractClerkUser | undefined {
    return request.user;
  }

  @Post('action')
  action(@Req() request: SessionRequest) {
    return { ok: true, method: request.auth?.method ?? null };
  }

  @Delete('action')
  remove(@Req() request: SessionRequest) {
    return { ok: true, method: request.auth?.method ?? null };
  }

  /** An anonymous session with app data (a cart, say), to see that a login gets a new session id but keeps the data. */
  @Public()
  @Get('remember')
  remember(@Req() request: SessionRequest) {
    if (request.session) request.session.cart = ['book'];
    return { ok: true };
  }

  @Public()
  @Get('cart')
  cart(@Req() request: SessionRequest) {
    return { cart: request.session?.cart ?? null };
  }

  /** Test lever: pretend `seconds` have passed since the Clerk session was last verified. */
  @Public()
  @Get('age')
  age(@Req() request: SessionRequest, @Query('seconds') seconds: string) {
    const state = request.session?.[CLERK_SERVER_SESSION_KEY] as { lastClerkCheck?: number; authenticatedAt?: number } | undefined;
    if (!request.session || !state) return { aged: false };
    const by = Number(seconds) * 1000;
    request.session[CLERK_SERVER_SESSION_KEY] = {
      ...state,
      ...(state.lastClerkCheck !== undefined ? { lastClerkCheck: state.lastClerkCheck - by } : {}),
      ...(state.authenticatedAt !== undefined ? { authenticatedAt: state.authenticatedAt - by } : {}),
    };
    return { aged: true };
  }
}

/** An app's own login route on the `clerk-local` Passport strategy, as the README describes. */
@Controller('custom')
export class CustomStaffLoginController {
  constructor(private readonly sessions: ClerkServerSessions) {}

  @Public()
  @UseGuards(AuthGuard(CLERK_LOCAL_STRATEGY_NAME))
  @Post('login')
  @HttpCode(200)
  async login(@Req() request: SessionRequest) {
    await this.sessions.startLocalSession(request, request.user!);
    return { signedIn: request.user!.email };
  }
}
