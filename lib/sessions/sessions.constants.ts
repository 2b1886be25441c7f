/** Name of the Passport strategy of password logins (`localAuth`). */
export const CLERK_LOCAL_STRATEGY_NAME = 'clerk-local';

/** Key of the module's state in the server session (`request.session[CLERK_SERVER_SESSION_KEY]`). */
export const CLERK_SERVER_SESSION_KEY = 'clerkAuth';


/** Longest accepted email/username and password in a login body (scrypt of a huge input is wasted work). */
export const MAX_LOGIN_FIELD_LENGTH = { identifier: 320, password: 1024 } as const;

export const SESSION_MIDDLEWARE_MISSING =
  'ClerkUsersModule: option "sessions"/"localAuth" needs a server-session middleware, and this request has no `request.session`: on Express install ' +
  'express-session and call app.use(session({ secret, resave: false, saveUninitialized: false })); on Fastify install @fastify/cookie and ' +
  '@fastify/session and register both (saveUninitialized: false) before the app starts listening';
