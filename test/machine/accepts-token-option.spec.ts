import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { AllowMachine, clerkOptionsFromEnv, ClerkTokenRejectedError, RequireMachine } from '../../lib/index.js';
import { machineTokenTypeOf } from '../../lib/auth/machine-token-type.js';
import { resolveClerkUsersOptions } from '../../lib/options/resolve-options.js';
import { machineAuthFromVerified } from '../../lib/auth/machine-auth.mapper.js';

const secretKey = 'sk_test_acceptstokenoption000';

describe('option acceptsToken', () => {
  it('defaults to session tokens only', () => {
    expect(resolveClerkUsersOptions({ secretKey }).acceptsToken).toEqual(['session_token']);
  });
  it('takes one kind, a list (deduplicated, canonical order) or "any"', () => {
    expect(resolveClerkUsersOptions({ secretKey, acceptsToken: 'm2m_token' }).acceptsToken).toEqual(['m2m_token']);
    expect(resolveClerkUsersOptions({ secretKey, acceptsToken: ['oauth_token', 'session_token', 'oauth_token'] }).acceptsToken).toEqual(['session_token', 'oauth_token']);
    expect(resolveClerkUsersOptions({ secretKey, acceptsToken: 'any' }).acceptsToken).toEqual(['session_token', 'm2m_token', 'api_key', 'oauth_token']);
  });
  it.each([['machine_token'], [[]], [['any']], [42], [['session_token', 'jwt']]])('refuses %j at boot, naming the option', (value) => {
    expect(() => resolveClerkUsersOptions({ secretKey, acceptsToken: value as never })).toThrow(/option "acceptsToken" must be "any", one of "session_token"/);
  });
  it('machine kinds need a secret key: Clerk verifies them through the Backend API', () => {
    const jwtKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(resolveClerkUsersOptions({ jwtKey }).acceptsToken).toEqual(['session_token']);
    expect(() => resolveClerkUsersOptions({ jwtKey, acceptsToken: ['session_token', 'm2m_token'] })).toThrow(
      'ClerkUsersModule: option "acceptsToken" names machine tokens, which need "secretKey": Clerk verifies them through the Backend API',
    );
  });
  it('is read from CLERK_ACCEPTS_TOKEN (comma list or "any")', () => {
    expect(clerkOptionsFromEnv({ CLERK_ACCEPTS_TOKEN: 'session_token, m2m_token' }).acceptsToken).toEqual(['session_token', 'm2m_token']);
    expect(clerkOptionsFromEnv({ CLERK_ACCEPTS_TOKEN: 'any' }).acceptsToken).toBe('any');
    expect(clerkOptionsFromEnv({}).acceptsToken).toBeUndefined();
    expect(() => resolveClerkUsersOptions({ secretKey, ...clerkOptionsFromEnv({ CLERK_ACCEPTS_TOKEN: 'm2m' }) })).toThrow(/acceptsToken/);
  });
});

describe('machine token recognition and mapping', () => {
  it('recognises the kinds as @clerk/backend does, without verifying', () => {
    expect(machineTokenTypeOf('mt_abc')).toBe('m2m_token');
    expect(machineTokenTypeOf('ak_abc')).toBe('api_key');
    expect(machineTokenTypeOf('oat_abc')).toBe('oauth_token');
    expect(machineTokenTypeOf('m2m_abc')).toBeNull();
    expect(machineTokenTypeOf('eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyXzEifQ.c2ln')).toBeNull();
  });
  it('refuses a token the Backend API reports as revoked or expired even with a 200', () => {
    const base = { id: 'mt_1', subject: 'mch_1', scopes: [], revoked: false, expired: false, expiration: null };
    expect(machineAuthFromVerified('m2m_token', base)).toMatchObject({ machineId: 'mch_1', expiresAt: null });
    expect(() => machineAuthFromVerified('m2m_token', { ...base, revoked: true })).toThrow(ClerkTokenRejectedError);
    expect(() => machineAuthFromVerified('m2m_token', { ...base, expired: true })).toThrow(/expired/);
    expect(() => machineAuthFromVerified('m2m_token', { ...base, expiration: Date.now() - 1 })).toThrow(/expired/);
    expect(() => machineAuthFromVerified('api_key', { ...base, subject: '' })).toThrow(/invalid/);
  });
  it('the route decorators reject a kind that is not a machine token when the class is declared', () => {
    expect(() => RequireMachine('session_token' as never)).toThrow(/not a machine token type/);
    expect(() => AllowMachine('m2m' as never)).toThrow(/not a machine token type/);
  });
});
