export { ClerkUsersCommandsModule } from './clerk-users-commands.module.js';
export { SyncClerkUsersCommand } from './sync-clerk-users.command.js';
export { SyncClerkOrganizationsCommand } from './sync-clerk-organizations.command.js';
export { CreateSuperuserCommand } from './create-superuser.command.js';
export { EXIT_ITEMS_FAILED, EXIT_OK, EXIT_USAGE } from './exit-codes.js';
export { runClerkUsersCli } from './run-cli.js';
