import { Module } from '@nestjs/common';
import { SyncClerkUsersCommand } from './sync-clerk-users.command.js';
import { SyncClerkOrganizationsCommand } from './sync-clerk-organizations.command.js';
import { CreateSuperuserCommand } from './create-superuser.command.js';

/**
 * The CLI commands (nest-commander): `sync-clerk-users`, `sync-clerk-organizations`,
 * `create-superuser`. Import it with `ClerkUsersModule` in the module you pass to
 * `runClerkUsersCli` (or `CommandFactory.run`); `sync-clerk-organizations` also needs
 * `OrganizationsModule` there, which provides the organization sync.
 */
@Module({ providers: [SyncClerkUsersCommand, SyncClerkOrganizationsCommand, CreateSuperuserCommand] })
export class ClerkUsersCommandsModule {}
