import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { CLERK_RESOLVED_OPTIONS } from '../clerk-users.constants.js';
import { CLERK_USERS_MODULE_OPTIONS } from '../clerk-users.module-definition.js';
import type { ClerkUsersModuleOptions, ResolvedClerkUsersOptions } from '../options/clerk-users-options.interface.js';
import { isBelowRetentionFloor, MIN_WEBHOOK_EVENT_RETENTION_HOURS } from '../options/webhook-retention.js';

/**
 * Settings that boot but weaken the module, one message each; they name the setting, never a value.
 * `given` is what forRoot/the factory returned, `resolved` what the module runs with.
 */
export function clerkBootWarnings(given: ClerkUsersModuleOptions, resolved: ResolvedClerkUsersOptions): string[] {
  const warnings: string[] = [];
  if (isBelowRetentionFloor(given.webhookEventRetentionHours)) {
    warnings.push(
      `option "webhookEventRetentionHours" (CLERK_WEBHOOK_DEDUP_TIMEOUT with clerkOptionsFromEnv) is below ${MIN_WEBHOOK_EVENT_RETENTION_HOURS} hours; ` +
        `using ${MIN_WEBHOOK_EVENT_RETENTION_HOURS}: a webhook id forgotten before Svix stops retrying lets a redelivery run its side effects twice`,
    );
  }
  if (resolved.acceptsToken.includes('session_token') && resolved.authorizedParties.length === 0) {
    warnings.push(
      'option "authorizedParties" is empty while session tokens are accepted from the __session cookie: ' +
        "Clerk's CSRF protection for cookie-authenticated requests rests on the azp check against it; list your frontend origins",
    );
  }
  return warnings;
}

/** Logs {@link clerkBootWarnings} once, when the module starts. */
@Injectable()
export class ClerkBootWarnings implements OnModuleInit {
  private readonly logger = new Logger('ClerkUsersModule');

  constructor(
    @Inject(CLERK_USERS_MODULE_OPTIONS) private readonly given: ClerkUsersModuleOptions,
    @Inject(CLERK_RESOLVED_OPTIONS) private readonly resolved: ResolvedClerkUsersOptions,
  ) {}

  onModuleInit(): void {
    for (const warning of clerkBootWarnings(this.given ?? {}, this.resolved)) this.logger.warn(warning);
  }
}
