import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { ClerkUsersModule, OrganizationsModule } from 'nestjs-clerk-users';
import { ClerkUsersCommandsModule, runClerkUsersCli } from 'nestjs-clerk-users/commands';
import { AppUser } from './app-user.entity.js';
import { sampleTypeOrm } from './app.module.js';
import { startDatabase, type SampleDatabase } from './database.js';
import { resolveClerk } from './sample-config.js';
import { readServerInfo } from './server-info.js';

/**
 * `npm run cli -- sync-clerk-users --all` (and sync-clerk-organizations, create-superuser,
 * `migrate-users-to-clerk --dry-run` to see which local rows would move into Clerk, generate-usernames).
 */
async function main(): Promise<void> {
  const running = readServerInfo();
  // The embedded database belongs to one process: use the running server's, else open it here.
  const database: SampleDatabase =
    !process.env.DATABASE_URL && running?.databaseUrl ? { url: running.databaseUrl, embedded: true, close: async () => undefined } : await startDatabase();
  const clerk = await resolveClerk(running?.port ?? Number(process.env.PORT ?? 3000));
  if (clerk.emulator) process.stderr.write('CLERK EMULATOR IS ON: syncing from the offline emulator\n');

  @Module({
    imports: [
      sampleTypeOrm({ databaseUrl: database.url, embeddedDatabase: database.embedded }),
      ClerkUsersModule.forRoot({ ...clerk.options, userEntity: AppUser, webhookPath: false }),
      OrganizationsModule.forRoot(),
      ClerkUsersCommandsModule,
    ],
  })
  class CliModule {}

  await runClerkUsersCli(CliModule);
  await clerk.emulator?.close();
  await database.close();
}

void main();
