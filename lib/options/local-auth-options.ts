import { ClerkUsersConfigurationError } from './configuration.error.js';

/** Option `localAuth`: staff accounts signing in with a password beside Clerk. */
export interface ClerkLocalAuthOptions {
  /** Mount `POST <path>/login` and `POST <path>/logout` and register the `clerk-local` Passport strategy. */
  enabled: boolean;
  /** Route prefix of the login and logout endpoints. Default `auth/local`. */
  path?: string;
  /** Failed logins for one account within `failureWindowSeconds` before further attempts get 429. Default 5. */
  maxFailuresPerAccount?: number;
  /** Failed logins from one client IP within `failureWindowSeconds` before further attempts get 429. Default 20. */
  maxFailuresPerIp?: number;
  /** Window of the failure counters, in seconds. Default 900. */
  failureWindowSeconds?: number;
  /** Absolute lifetime of a password login, in seconds. Default 28800 (8 hours). */
  sessionMaxAgeSeconds?: number;
}

/** `localAuth` after defaults and validation (`null`: local logins are off). */
export interface ResolvedLocalAuthOptions {
  path: string;
  maxFailuresPerAccount: number;
  maxFailuresPerIp: number;
  failureWindowSeconds: number;
  sessionMaxAgeSeconds: number;
}

export const DEFAULT_LOCAL_AUTH_PATH = 'auth/local';

const LIMITS = {
  maxFailuresPerAccount: { fallback: 5, max: 1_000 },
  maxFailuresPerIp: { fallback: 20, max: 100_000 },
  failureWindowSeconds: { fallback: 900, max: 86_400 },
  sessionMaxAgeSeconds: { fallback: 28_800, max: 31_536_000 },
} as const;

const KNOWN = new Set(['enabled', 'path', ...Object.keys(LIMITS)]);

function wholeNumber(options: Record<string, unknown>, name: keyof typeof LIMITS): number {
  const value = options[name];
  const { fallback, max } = LIMITS[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    throw new ClerkUsersConfigurationError(`localAuth.${name}`, `must be a whole number from 1 to ${max}`);
  }
  return value;
}

function routePath(value: unknown): string {
  if (value === undefined) return DEFAULT_LOCAL_AUTH_PATH;
  const path = typeof value === 'string' ? value.replace(/^\/+|\/+$/g, '') : '';
  if (!/^[A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*$/.test(path) || path.split('/').some((segment) => /^\.+$/.test(segment))) {
    throw new ClerkUsersConfigurationError('localAuth.path', 'must be a route path such as auth/local');
  }
  return path;
}

/**
 * Validates `localAuth` (static: it decides which controllers are mounted, so with `forRootAsync`
 * it is passed beside `useFactory`). Throws `ClerkUsersConfigurationError` naming the sub-option.
 */
export function resolveLocalAuthOptions(value: unknown): ResolvedLocalAuthOptions | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) throw new ClerkUsersConfigurationError('localAuth', 'must be an object such as { enabled: true }');
  const options = value as Record<string, unknown>;
  const unknown = Object.keys(options).find((key) => !KNOWN.has(key));
  if (unknown) throw new ClerkUsersConfigurationError(`localAuth.${unknown}`, 'is not a known option');
  if (typeof options.enabled !== 'boolean') throw new ClerkUsersConfigurationError('localAuth.enabled', 'must be true or false');
  const resolved: ResolvedLocalAuthOptions = {
    path: routePath(options.path),
    maxFailuresPerAccount: wholeNumber(options, 'maxFailuresPerAccount'),
    maxFailuresPerIp: wholeNumber(options, 'maxFailuresPerIp'),
    failureWindowSeconds: wholeNumber(options, 'failureWindowSeconds'),
    sessionMaxAgeSeconds: wholeNumber(options, 'sessionMaxAgeSeconds'),
  };
  return options.enabled ? resolved : null;
}
