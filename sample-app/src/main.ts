import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import session from 'express-session';
import { createClerkSwaggerDocument } from 'nestjs-clerk-users/swagger';
import { SampleAppModule } from './app.module.js';
import { startDatabase } from './database.js';
import { prepareEmulator } from './emulator/emulator-start.js';
import { assertNoEmulatorData, refuseForeignHosts, SampleStartRefused } from './emulator/emulator-guards.js';
import { SEED_MEMBERSHIPS, SEED_USERS } from './emulator/seed.js';
import { resolveClerk, sampleOrigins, sessionSecret } from './sample-config.js';
import { writeServerInfo } from './server-info.js';

async function bootstrap(): Promise<void> {
  const logger = new Logger('Sample');
  const port = Number(process.env.PORT ?? 3000);
  // Clerk first: a refused set-up (emulator beside Clerk settings or on DATABASE_URL) touches no database.
  const clerk = await resolveClerk(port);
  const database = await startDatabase();
  const app = await NestFactory.create<NestExpressApplication>(
    SampleAppModule.register({ databaseUrl: database.url, embeddedDatabase: database.embedded, clerk: clerk.options, emulator: clerk.emulator, publishableKey: clerk.publishableKey }),
    { rawBody: true },
  );
  // Server sessions (options `sessions` and `localAuth`): the module keeps its state in express-session.
  app.use(
    session({
      secret: sessionSecret(Boolean(clerk.emulator)),
      resave: false,
      saveUninitialized: false, // bearer requests (scripts, machines) must not get a session
      // The default MemoryStore keeps sessions in this process only; use a shared store (e.g. connect-redis) with several instances.
      cookie: { httpOnly: true, sameSite: 'lax', secure: 'auto', maxAge: 8 * 3600_000 },
    }),
  );
  // OpenAPI at /docs (Swagger UI) and /docs-json: the `clerk` bearer scheme on every guarded route.
  const document = createClerkSwaggerDocument(app, new DocumentBuilder().setTitle('nestjs-clerk-users sample').setVersion('1').build());
  SwaggerModule.setup('docs', app, document);

  await app.init();
  if (clerk.emulator) {
    // DNS rebinding: only the sample's own host names reach the emulator.
    refuseForeignHosts(app.getHttpServer(), sampleOrigins(port).map((origin) => new URL(origin).host));
  } else {
    await assertNoEmulatorData(app, database.embedded);
  }
  await app.listen(port, '127.0.0.1');
  const base = `http://127.0.0.1:${port}`;
  writeServerInfo({ port, databaseUrl: database.embedded ? database.url : null, pid: process.pid });

  logger.log(database.embedded ? 'database: embedded PostgreSQL (PGlite) under sample-app/.data/pgdata' : 'database: DATABASE_URL');
  if (clerk.emulator) {
    const { staffEmail, staffPassword, m2mToken } = await prepareEmulator(app, clerk.emulator);
    logger.warn('CLERK EMULATOR IS ON: no Clerk keys are configured, so tokens are minted and verified locally with throw-away keys. Set CLERK_SECRET_KEY / CLERK_JWT_KEY to use a real Clerk instance.');
    const ada = SEED_USERS[0];
    const acme = SEED_MEMBERSHIPS[0];
    const token = clerk.emulator.kit.mintSessionToken({ userId: ada.id, expiresInSeconds: 3600, org: { id: acme.organizationId, slug: 'acme', role: acme.role, permissions: acme.permissions } });
    console.log(`TOKEN=${token}`);
    console.log(`Try: curl -H "Authorization: Bearer ${token}" ${base}/me`);
    console.log(`STAFF_PASSWORD=${staffPassword}`);
    console.log(`Staff password login (on the page, or): curl -c jar -H 'Origin: ${base}' -H 'Content-Type: application/json' -d '{"email":"${staffEmail}","password":"${staffPassword}"}' ${base}/auth/local/login && curl -b jar ${base}/admin/overview`);
    console.log(`M2M_TOKEN=${m2mToken}`);
    console.log(`Machine route: curl -H "Authorization: Bearer ${m2mToken}" ${base}/machine/ping`);
    console.log(`Send a signed webhook: npm run sample:webhook -- user.updated`);
  } else {
    logger.log('Clerk: real keys from the environment');
  }
  console.log(`API docs: ${base}/docs, health: ${base}/health`);
  console.log(`Sample app listening on ${base}`);

  const shutdown = async () => {
    await app.close();
    await clerk.emulator?.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}

bootstrap().catch((error: unknown) => {
  // A refusal says what to change; anything else keeps its stack. Never a key's value: only names are in the messages.
  new Logger('Sample').error(error instanceof SampleStartRefused ? `not starting: ${error.message}` : error);
  process.exit(1);
});
