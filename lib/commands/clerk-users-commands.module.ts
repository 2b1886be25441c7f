import { Module } from '@nestjs/common';
import { SyncClerkUsersCommand } from './sync-clerk-users.command.js';
import { SyncClerkOrganizationsCommand } from './sync-clerk-organizations.command.js';
import { CreateSuperuserCommand } from './create-superuser.command.js';
import { MigrateUsersToClerkCommand } from './migrate-users-to-clerk.command.js';
import { GenerateUsernamesCommand } from './generate-usernames.command.js';
import { ClerkUsersMigration } from '../migration/clerk-users-migration.service.js';
import { UsernameBackfill } from '../users/username-backfill.service.js';

/**
 * The CLI commands (nest-commander): `sync-clerk-users`, `sync-clerk-organizations`,
 * `create-superuser`, `migrate-users-to-clerk`, `generate-usernames`. Import it with `ClerkUsersModule` in the module you pass to
 * `runClerkUsersCli` (or `CommandFactory.run`); `sync-clerk-organizations` also needs
 * `OrganizationsModule` there, which provides the organization sync.
 */
@Module({
  providers: [
    SyncClerkUsersCommand,
    SyncClerkOrganizationsCommand,
    CreateSuperuserCommand,
    MigrateUsersToClerkCommand,
    GenerateUsernamesCommand,
    ClerkUsersMigration,
    UsernameBackfill,
  ],
  exports: [ClerkUsersMigration, UsernameBackfill],
})
export class ClerkUsersCommandsModule {}
