import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { ClerkUsersModuleOptions } from './options/clerk-users-options.interface';
import type { ClerkUserEntityClass } from './users/abstract-clerk-user.entity';
import { ClerkUser } from './users/clerk-user.entity';

/**
 * Options known when the module is imported (not from an async factory): the entity must be
 * registered with `TypeOrmModule.forFeature` before any factory runs.
 */
export interface ClerkUsersModuleExtras {
  userEntity?: ClerkUserEntityClass;
}

export const {
  ConfigurableModuleClass: ConfigurableClerkUsersModule,
  MODULE_OPTIONS_TOKEN: CLERK_USERS_MODULE_OPTIONS,
  OPTIONS_TYPE: CLERK_USERS_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: CLERK_USERS_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<ClerkUsersModuleOptions>({ moduleName: 'ClerkUsers' })
  .setClassMethodName('forRoot')
  // The module reads `userEntity` itself (ClerkUsersModule.withEntity); here it is only kept out of the options value.
  .setExtras<ClerkUsersModuleExtras>({ userEntity: ClerkUser }, (definition) => ({ ...definition, global: true }))
  .build();
