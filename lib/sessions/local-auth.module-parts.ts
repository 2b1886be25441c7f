import type { Provider, Type } from '@nestjs/common';
import { resolveLocalAuthOptions, type ClerkLocalAuthOptions } from '../options/local-auth-options.js';
import { ClerkLocalStrategy } from './clerk-local.strategy.js';
import { createLocalAuthController } from './local-auth.controller.js';
import { LocalLoginLimiter } from './local-login-limiter.js';
import { LocalLoginService } from './local-login.service.js';

/** What `localAuth` adds to `ClerkUsersModule`: nothing when it is off (validated here, at import time). */
export function localAuthModuleParts(localAuth: ClerkLocalAuthOptions | undefined): { controllers: Type[]; providers: Provider[] } {
  const resolved = resolveLocalAuthOptions(localAuth);
  if (!resolved) return { controllers: [], providers: [] };
  return { controllers: [createLocalAuthController(resolved.path)], providers: [LocalLoginLimiter, LocalLoginService, ClerkLocalStrategy] };
}
