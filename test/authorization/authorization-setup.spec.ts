import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { resolveClerkUsersOptions } from '../../lib/options/resolve-options.js';
import { clerkOptionsFromEnv, ClerkUsersConfigurationError, RequireFeature, RequireOrgRole, RequirePlan, RequireReverification, RequireScopes, type ClerkReverificationConfig } from '../../lib/index.js';
import { ClerkTestKit } from '../../lib/testing/index.js';

describe('the impersonation option', () => {
  let kit: ClerkTestKit;
  beforeAll(async () => {
    kit = await ClerkTestKit.create();
  });
  afterAll(async () => {
    await kit.close();
  });

  it('defaults to "allow", takes "deny" from the options or CLERK_IMPERSONATION, refuses anything else naming the option', () => {
    expect(resolveClerkUsersOptions({ jwtKey: kit.jwtKey }).impersonation).toBe('allow');
    expect(resolveClerkUsersOptions({ jwtKey: kit.jwtKey, impersonation: 'deny' }).impersonation).toBe('deny');
    expect(resolveClerkUsersOptions({ ...clerkOptionsFromEnv({ CLERK_JWT_KEY: kit.jwtKey, CLERK_IMPERSONATION: 'deny' }) }).impersonation).toBe('deny');
    expect(clerkOptionsFromEnv({ CLERK_IMPERSONATION: ' ' }).impersonation).toBeUndefined();
    const bad = () => resolveClerkUsersOptions({ jwtKey: kit.jwtKey, impersonation: 'Deny' as 'deny' });
    expect(bad).toThrow(ClerkUsersConfigurationError);
    expect(bad).toThrow(/impersonation/);
  });
});

describe('decorator arguments are checked when the app is built, never as a 403 on every request', () => {
  it.each<[string, () => unknown]>([
    ['@RequireFeature() with an unknown scope', () => RequireFeature('team:export')],
    ['@RequireFeature() with a scope and no name', () => RequireFeature('o:')],
    ['@RequireFeature() with two scopes', () => RequireFeature('o:u:export')],
    ['@RequirePlan() with an empty name', () => RequirePlan('')],
    ['@RequireReverification() with an unknown preset', () => RequireReverification('paranoid' as ClerkReverificationConfig)],
    ['@RequireReverification() with an unknown level', () => RequireReverification({ level: 'third_factor' as 'first_factor', afterMinutes: 5 })],
    ['@RequireReverification() with no minutes', () => RequireReverification({ level: 'first_factor', afterMinutes: 0 })],
    ['@RequireScopes() with a blank scope', () => RequireScopes(' ')],
    ['@RequireOrgRole() with no role', () => (RequireOrgRole as (...roles: string[]) => unknown)()],
  ])('%s throws a TypeError', (_name, decorate) => {
    expect(decorate).toThrow(TypeError);
  });

  it('accepts every form Clerk’s has() reads', () => {
    for (const name of ['export', 'u:export', 'user:export', 'o:export', 'org:export', 'organization:export']) expect(() => RequireFeature(name)).not.toThrow();
    for (const preset of ['strict_mfa', 'strict', 'moderate', 'lax'] as const) expect(() => RequireReverification(preset)).not.toThrow();
    expect(() => RequireReverification({ level: 'multi_factor', afterMinutes: 15 })).not.toThrow();
  });
});
