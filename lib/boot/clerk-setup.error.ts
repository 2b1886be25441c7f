/**
 * Thrown (or logged) at boot when the application around the module is set up wrongly: no TypeORM
 * DataSource, the module's entities missing from it, a webhook endpoint that cannot work. The
 * message says what to change; it never holds a key or secret.
 */
export class ClerkUsersSetupError extends Error {
  constructor(problem: string) {
    super(`ClerkUsersModule: ${problem}`);
    this.name = 'ClerkUsersSetupError';
  }
}

/** How to keep the raw request bytes the Svix signature is computed over. */
export const RAW_BODY_FIX =
  'create the app with NestFactory.create(AppModule, { rawBody: true }) (Express or Fastify), or moduleRef.createNestApplication({ rawBody: true }) in tests';
