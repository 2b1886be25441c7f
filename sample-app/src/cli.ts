import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { ClerkUsersModule, OrganizationsModule } from 'nestjs-clerk-users';
import { ClerkUsersCommandsModule, runClerkUsersCli } from 'nestjs-clerk-users/commands';
import { AppUser } from './app-user.entity.js';
import { sampleTypeOrm } from './app.module.js';
import { startDatabase, type SampleDatabase } from './database.js';
import { resolveClerk } from './sample-config.js';
import { SampleStartRefused } from './emulator/emulator-guards.js';
import { readServerInfo } from './server-info.js';

/**
 * `npm run cli -- sync-clerk-users --all` (and sync-clerk-organizations, create-superuser,
 * `migrate-users-to-clerk --dry-run` to see which local rows would move into Clerk, generate-usernames).
 */
async function main(): Promise<void> {
  const running = readServerInfo();
  // Clerk first: a refused set-up (the emulator beside Clerk settings or a DATABASE_URL) touches no database.
  const clerk = await resolveClerk(running?.port ?? Number(process.env.PORT ?? 3000));
  // The embedded database belongs to one process: use the running server's, else open it here.
  const database: SampleDatabase =
    !process.env.DATABASE_URL && running?.databaseUrl ? { url: running.databaseUrl, embedded: true, close: async () => undefined } : await startDatabase();
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

main().catch((error: unknown) => {
  // A refusal says what to change (variable names only, never a value); anything else keeps its stack.
  process.stderr.write(`${error instanceof SampleStartRefused ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
