/**
 * `nestjs-clerk-users/console`: the staff console (users, organizations, webhook deliveries, audit).
 * Never loaded by the root entry point.
 */
export { ClerkConsoleModule, clerkConsoleEntities } from './clerk-console.module.js';
export { ClerkConsoleConfigurationError, type ClerkConsoleAccess, type ClerkConsoleOptions } from './clerk-console-options.js';
export { ClerkConsoleAuditRecord } from './clerk-console-audit-record.entity.js';
export { clerkConsoleMigrations, ClerkConsole1764000000017 } from '../migrations/index.js';
