import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ClerkOrganizationsSync, ClerkUsersSync } from 'nestjs-clerk-users';
import { SampleAppModule } from './app.module';
import { startDatabase } from './database';
import { resolveClerk } from './sample-config';
import { SEED_MEMBERSHIPS, SEED_USERS } from './emulator/seed';
import { writeServerInfo } from './server-info';

async function bootstrap(): Promise<void> {
  const logger = new Logger('Sample');
  const port = Number(process.env.PORT ?? 3000);
  const database = await startDatabase();
  const clerk = await resolveClerk(port);
  const app = await NestFactory.create(
    SampleAppModule.register({ databaseUrl: database.url, embeddedDatabase: database.embedded, clerk: clerk.options, emulator: clerk.emulator, publishableKey: clerk.publishableKey }),
    { rawBody: true },
  );
  await app.listen(port, '127.0.0.1');
  const base = `http://127.0.0.1:${port}`;
  writeServerInfo({ port, databaseUrl: database.embedded ? database.url : null, pid: process.pid });

  logger.log(database.embedded ? 'database: embedded PostgreSQL (PGlite) under sample-app/.data/pgdata' : 'database: DATABASE_URL');
  if (clerk.emulator) {
    // Fill the local tables from the emulator, as `npm run cli -- sync-clerk-users --all` would.
    await app.get(ClerkUsersSync).run({ all: true });
    await app.get(ClerkOrganizationsSync).run({ all: true, syncMembers: true });
    logger.warn('CLERK EMULATOR IS ON: no Clerk keys are configured, so tokens are minted and verified locally with throw-away keys. Set CLERK_SECRET_KEY / CLERK_JWT_KEY to use a real Clerk instance.');
    const ada = SEED_USERS[0];
    const acme = SEED_MEMBERSHIPS[0];
    const token = clerk.emulator.kit.mintSessionToken({ userId: ada.id, expiresInSeconds: 3600, org: { id: acme.organizationId, slug: 'acme', role: acme.role, permissions: acme.permissions } });
    console.log(`TOKEN=${token}`);
    console.log(`Try: curl -H "Authorization: Bearer ${token}" ${base}/me`);
    console.log(`Send a signed webhook: npm run sample:webhook -- user.updated`);
  } else {
    logger.log('Clerk: real keys from the environment');
  }
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

void bootstrap();
