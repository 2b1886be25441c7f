import type { Provider, Type } from '@nestjs/common';
import { resolveLocalAuthOptions, type ClerkLocalAuthOptions } from '../options/local-auth-options';
import { ClerkLocalStrategy } from './clerk-local.strategy';
import { createLocalAuthController } from './local-auth.controller';
import { LocalLoginLimiter } from './local-login-limiter';
import { LocalLoginService } from './local-login.service';

/** What `localAuth` adds to `ClerkUsersModule`: nothing when it is off (validated here, at import time). */
export function localAuthModuleParts(localAuth: ClerkLocalAuthOptions | undefined): { controllers: Type[]; providers: Provider[] } {
  const resolved = resolveLocalAuthOptions(localAuth);
  if (!resolved) return { controllers: [], providers: [] };
  return { controllers: [createLocalAuthController(resolved.path)], providers: [LocalLoginLimiter, LocalLoginService, ClerkLocalStrategy] };
}
