export { ClerkUsersCommandsModule } from './clerk-users-commands.module';
export { SyncClerkUsersCommand } from './sync-clerk-users.command';
export { SyncClerkOrganizationsCommand } from './sync-clerk-organizations.command';
export { CreateSuperuserCommand } from './create-superuser.command';
export { EXIT_ITEMS_FAILED, EXIT_OK, EXIT_USAGE } from './exit-codes';
export { runClerkUsersCli } from './run-cli';
