import { describe, expect, it } from '@jest/globals';
import { isMachineToken, isMachineTokenByPrefix, verifyMachineAuthToken } from '@clerk/backend/internal';
import fc from 'fast-check';
import { clerkTokenKindOf, machineTokenTypeOf, OPAQUE_MACHINE_TOKEN_PREFIXES } from '../../lib/auth/clerk-token-kind.js';
import type { ClerkMachineTokenType } from '../../lib/index.js';
import { useClerkTestKit } from '../support/clerk-test-app.js';

describe('one token classifier, checked against the pinned @clerk/backend', () => {
  const suite = useClerkTestKit();

  /** The kind @clerk/backend's own machine verifier files `token` under (`verifyMachineAuthToken` dispatches on it first). */
  const sdkMachineKind = async (token: string) =>
    (await verifyMachineAuthToken(token, { secretKey: suite.kit.secretKey, apiUrl: suite.api.url, jwtKey: suite.kit.jwtKey })).tokenType;

  it.each(OPAQUE_MACHINE_TOKEN_PREFIXES.map(([prefix, type]) => [prefix, type] as const))(
    'opaque prefix %s is one @clerk/backend recognises, and its verifier files it as %s',
    async (prefix, type) => {
      const token = `${prefix}0123456789abcdef0123456789abcdef`;
      expect(isMachineTokenByPrefix(token)).toBe(true);
      expect(await sdkMachineKind(token)).toBe(type);
      expect(machineTokenTypeOf(token)).toBe(type);
    },
  );

  it.each<ClerkMachineTokenType>(['m2m_token', 'api_key', 'oauth_token'])('an opaque token the fake Backend API issues as %s gets the kind @clerk/backend gives it', async (type) => {
    const token = suite.api.issueMachineToken({ type });
    expect(machineTokenTypeOf(token)).toBe(await sdkMachineKind(token));
    expect(machineTokenTypeOf(token)).toBe(type);
  });

  it.each([
    ['M2M JWT (sub mch_, M2M category)', () => suite.kit.mintMachineJwt({ type: 'm2m_token' }), 'm2m_token'],
    ['OAuth JWT (typ at+jwt)', () => suite.kit.mintMachineJwt({ type: 'oauth_token' }), 'oauth_token'],
    ['OAuth JWT (typ application/at+jwt)', () => suite.kit.signJwt({ alg: 'RS256', typ: 'application/at+jwt', kid: suite.kit.kid }, { sub: 'user_x', exp: 2e9 }), 'oauth_token'],
    ['typ at+jwt and sub mch_: M2M wins, as in @clerk/backend', () => suite.kit.signJwt({ alg: 'RS256', typ: 'at+jwt', kid: suite.kit.kid }, { sub: 'mch_x', exp: 2e9 }), 'm2m_token'],
  ] as const)('%s gets the kind @clerk/backend gives it', async (_name, mint, type) => {
    const token = mint();
    expect(isMachineToken(token)).toBe(true);
    expect(await sdkMachineKind(token)).toBe(type);
    expect(machineTokenTypeOf(token)).toBe(type);
    expect(clerkTokenKindOf(token)).toEqual({ tokenType: type });
  });

  it('a session token is no machine token, for @clerk/backend and for the classifier', () => {
    const token = suite.kit.mintSessionToken({ userId: 'user_kind000000000000000000001' });
    expect(isMachineToken(token)).toBe(false);
    expect(machineTokenTypeOf(token)).toBeNull();
    expect(clerkTokenKindOf(token)).toEqual({ tokenType: 'session_token' });
  });

  it.each([
    ['JWT template', { cat: 'cl_B7d4PD222AAA' }, 'not-a-session-token'],
    ['M2M category', { cat: 'cl_B7d4PD333AAA' }, 'not-a-session-token'],
    ['category that is not a string', { cat: 7 }, 'not-a-session-token'],
  ] as const)('%s: %j is no session token', (_name, header, problem) => {
    const token = suite.kit.mintSessionToken({ userId: 'user_kind000000000000000000001', header });
    expect(clerkTokenKindOf(token)).toEqual({ tokenType: null, problem });
  });

  it.each([
    ['empty', ''],
    ['one segment', 'abc'],
    ['four segments', 'a.b.c.d'],
    ['header not JSON', `${Buffer.from('{{').toString('base64url')}.e30.sig`],
    ['header a JSON array', `${Buffer.from('[]').toString('base64url')}.e30.sig`],
    ['payload JSON null', `e30.${Buffer.from('null').toString('base64url')}.sig`],
    ['payload a JSON number', `e30.${Buffer.from('42').toString('base64url')}.sig`],
  ])('%s is an invalid token', (_name, token) => {
    expect(clerkTokenKindOf(token)).toEqual({ tokenType: null, problem: 'token-invalid' });
  });

  it('never throws, whatever the input (bad input is a 401, not a crash)', () => {
    const segment = fc.string({ maxLength: 40 });
    const anyToken = fc.oneof(fc.string({ maxLength: 200 }), fc.tuple(segment, segment, segment).map((parts) => parts.join('.')));
    fc.assert(
      fc.property(anyToken, (token) => {
        clerkTokenKindOf(token);
        machineTokenTypeOf(token);
      }),
      { numRuns: 500 },
    );
  });
});
