import { Inject, type FactoryProvider } from '@nestjs/common';
import { createClerkClient, type ClerkClient } from '@clerk/backend';
import { CLERK_CLIENT, CLERK_RESOLVED_OPTIONS } from '../clerk-users.constants.js';
import type { ResolvedClerkUsersOptions } from '../options/clerk-users-options.interface.js';
import { withClerkApiTimeout } from './timed-clerk-client.js';

export type { ClerkClient };

/** The `@clerk/backend` client built from the module options (telemetry off), every call bounded by `apiTimeoutMs`. */
export const clerkClientProvider: FactoryProvider<ClerkClient> = {
  provide: CLERK_CLIENT,
  useFactory: (options: ResolvedClerkUsersOptions) =>
    withClerkApiTimeout(
      createClerkClient({
        secretKey: options.secretKey,
        publishableKey: options.publishableKey,
        jwtKey: options.jwtKey,
        apiUrl: options.apiUrl,
        telemetry: { disabled: true },
      }),
      options.apiTimeoutMs,
    ),
  inject: [CLERK_RESOLVED_OPTIONS],
};

/** Injects the Clerk Backend API client: `constructor(@InjectClerkClient() clerk: ClerkClient)`. */
export const InjectClerkClient = (): ParameterDecorator => Inject(CLERK_CLIENT);
