import { ConfigurableModuleBuilder, type CanActivate, type Type } from '@nestjs/common';
import type { ClerkUsersModuleOptions } from './options/clerk-users-options.interface.js';
import type { ClerkLocalAuthOptions } from './options/local-auth-options.js';
import type { ClerkUserEntityClass } from './users/abstract-clerk-user.entity.js';
import { ClerkUser } from './users/clerk-user.entity.js';
import { DEFAULT_WEBHOOK_PATH } from './webhooks/webhook.constants.js';

/**
 * Options known when the module is imported (not from an async factory): the entity must be
 * registered with `TypeOrmModule.forFeature` before any factory runs.
 */
export interface ClerkUsersModuleExtras {
  userEntity?: ClerkUserEntityClass;
  /** Path of the webhook endpoint; `false` mounts none. Default `webhooks/clerk`. */
  webhookPath?: string | false;
  /** Staff password logins (`clerk-local`, `POST <path>/login|logout`): static, it decides which controllers are mounted. */
  localAuth?: ClerkLocalAuthOptions;
  /**
   * The `APP_GUARD`: `true` (default) registers `ClerkAuthGuard`, a `ClerkAuthGuard` subclass registers
   * that class instead, `false` registers none (protect routes with `@UseGuards(ClerkAuthGuard)`).
   */
  globalGuard?: boolean | Type<CanActivate>;
  /** Replaces the default `ClerkUserResolver` (a subclass of it). */
  userResolver?: Type<unknown>;
}

/** What `ClerkUsersModule.forRoot()` takes: the options and the extras together. */
export type ClerkUsersForRootOptions = ClerkUsersModuleOptions & ClerkUsersModuleExtras;

export const {
  ConfigurableModuleClass: ConfigurableClerkUsersModule,
  MODULE_OPTIONS_TOKEN: CLERK_USERS_MODULE_OPTIONS,
  OPTIONS_TYPE: CLERK_USERS_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: CLERK_USERS_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<ClerkUsersModuleOptions>({ moduleName: 'ClerkUsers' })
  .setClassMethodName('forRoot')
  // The module reads the extras itself (ClerkUsersModule.withExtras); here they are only kept out of the options value.
  .setExtras<ClerkUsersModuleExtras>({ userEntity: ClerkUser, webhookPath: DEFAULT_WEBHOOK_PATH, localAuth: undefined, globalGuard: true, userResolver: undefined }, (definition) => ({ ...definition, global: true }))
  .build();
