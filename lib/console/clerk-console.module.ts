import { Module, type DynamicModule, type Provider, type Type } from '@nestjs/common';
import { CLERK_RESOLVED_OPTIONS } from '../clerk-users.constants.js';
import type { ResolvedClerkUsersOptions } from '../options/clerk-users-options.interface.js';
import { clerkTypeOrmFeature } from '../boot/typeorm-feature.js';
import { ClerkWebhookEventRecord } from '../webhooks/clerk-webhook-event-record.entity.js';
import { CLERK_CONSOLE_OPTIONS } from './clerk-console.constants.js';
import { ClerkConsoleConfigurationError, resolveConsoleOptions, type ClerkConsoleOptions, type ResolvedClerkConsoleOptions } from './clerk-console-options.js';
import { ClerkConsoleAuditRecord } from './clerk-console-audit-record.entity.js';
import { ConsoleOriginGuard } from './console-origin.guard.js';
import { ConsoleAudit } from './console-audit.service.js';
import { ConsoleUserListQuery } from './console-user-list.query.js';
import { ConsoleUserDetailQuery } from './console-user-detail.query.js';
import { ConsoleUserFlags } from './console-user-flags.service.js';
import { ConsoleUserActions } from './console-user-actions.service.js';
import { ConsoleUserResync } from './console-user-resync.service.js';
import { ConsoleOrganizationsQuery } from './console-organizations.query.js';
import { ConsoleWebhookEventsQuery } from './console-webhook-events.query.js';
import { createConsoleUsersController } from './console-users.controller.js';
import { createConsoleRecordsController } from './console-records.controller.js';
import { createConsolePageController } from './console-page.controller.js';
import { consoleApiDocsProvider } from './console-api-docs.js';

/** The console's own entities: add them to your DataSource's `entities` unless it uses `autoLoadEntities`. */
export const clerkConsoleEntities = [ClerkConsoleAuditRecord];

/** Boot check: the Origin check of unsafe requests needs the app's origins. */
const originsCheck: Provider = {
  provide: Symbol.for('nestjs-clerk-users:console-origins-check'),
  inject: [CLERK_RESOLVED_OPTIONS],
  useFactory: (options: ResolvedClerkUsersOptions) => {
    if (!options.authorizedParties.length) {
      throw new ClerkConsoleConfigurationError('authorizedParties', 'of ClerkUsersModule must name the origins the console is opened from: its unsafe requests are refused otherwise');
    }
    return true;
  },
};

/**
 * The staff console: a page at `path` (default `/clerk-console`) and its JSON API at `<path>/api`,
 * for users, organizations, webhook deliveries and the audit of changes. Every route is behind
 * `@RequireSuperuser()` (or `@RequireStaff()` with `access: 'staff'`) and the Origin check of
 * unsafe requests. Needs `ClerkUsersModule`, its `clerkConsoleMigrations` and `authorizedParties`.
 */
@Module({})
export class ClerkConsoleModule {
  static forRoot(options: ClerkConsoleOptions = {}): DynamicModule {
    const resolved: ResolvedClerkConsoleOptions = resolveConsoleOptions(options);
    const controllers: Type[] = [createConsolePageController(resolved), createConsoleUsersController(resolved), createConsoleRecordsController(resolved)];
    return {
      module: ClerkConsoleModule,
      imports: [
        clerkTypeOrmFeature({ entities: [ClerkConsoleAuditRecord, ClerkWebhookEventRecord], listName: 'clerkConsoleEntities', defaults: clerkConsoleEntities }),
      ],
      controllers,
      providers: [
        { provide: CLERK_CONSOLE_OPTIONS, useValue: resolved },
        originsCheck,
        consoleApiDocsProvider(controllers),
        ConsoleOriginGuard,
        ConsoleAudit,
        ConsoleUserListQuery,
        ConsoleUserDetailQuery,
        ConsoleUserFlags,
        ConsoleUserActions,
        ConsoleUserResync,
        ConsoleOrganizationsQuery,
        ConsoleWebhookEventsQuery,
      ],
    };
  }
}
