import { beforeAll, describe, expect, it } from '@jest/globals';
import { createHmac } from 'node:crypto';
import { ClerkTestKit } from '../../lib/testing/index.js';
import { useClerkTestApp } from '../support/clerk-test-app.js';
import { PLATFORMS } from '../support/create-app.js';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe.each(PLATFORMS)('token verification: every malformed, forged or unusable token is a generic 401 that never reaches the database (%s)', (platform) => {
  const harness = useClerkTestApp({ platform });
  /** Another key pair: its tokens are well-formed but signed by the wrong key. */
  let otherKit: ClerkTestKit;
  const userId = 'user_attack0000000000000000001';

  beforeAll(async () => {
    otherKit = await ClerkTestKit.create();
    harness.api.addUser({ id: userId, email: 'victim@example.com' });
  });

  const valid = () => harness.kit.mintSessionToken({ userId });
  const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as Record<string, unknown>;

  const cases: Array<[string, () => string]> = [
    ['expired', () => harness.kit.mintSessionToken({ userId, expiresInSeconds: -30 })],
    ['not yet valid (nbf and iat an hour ahead)', () => harness.kit.mintSessionToken({ userId, issuedAtOffsetSeconds: 3600 })],
    ['azp not in authorizedParties', () => harness.kit.mintSessionToken({ userId, azp: 'https://evil.example' })],
    ['azp missing while authorizedParties is set', () => harness.kit.mintSessionToken({ userId, azp: null })],
    ['signed by another key', () => otherKit.mintSessionToken({ userId })],
    ['payload tampered after signing', () => {
      const [header, , signature] = valid().split('.');
      return `${header}.${b64({ ...claimsOf(valid()), sub: 'user_someoneelse00000000000000' })}.${signature}`;
    }],
    ['signature stripped', () => valid().split('.').slice(0, 2).join('.') + '.'],
    ['alg none', () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claimsOf(valid()))}.`],
    ['HS256 keyed with the public key', () => {
      const data = `${b64({ alg: 'HS256', typ: 'JWT', kid: harness.kit.kid })}.${b64(claimsOf(valid()))}`;
      return `${data}.${createHmac('sha256', harness.kit.jwtKey).update(data).digest('base64url')}`;
    }],
    ['wrong issuer', () => harness.kit.mintSessionToken({ userId, claims: { iss: 'https://evil.clerk.accounts.dev' } })],
    ['missing sub', () => harness.kit.mintSessionToken({ userId, claims: { sub: undefined } })],
    ['missing sid', () => harness.kit.mintSessionToken({ userId, claims: { sid: undefined } })],
    ['missing exp', () => harness.kit.mintSessionToken({ userId, claims: { exp: undefined } })],
    ['machine subject (mch_)', () => harness.kit.mintSessionToken({ userId: 'mch_machine000000000000000000' })],
    ['JWT template category', () => harness.kit.mintSessionToken({ userId, header: { cat: 'cl_B7d4PD222AAA' } })],
    ['M2M category', () => harness.kit.mintSessionToken({ userId, header: { cat: 'cl_B7d4PD333AAA' } })],
    ['OAuth access token typ', () => harness.kit.mintSessionToken({ userId, header: { typ: 'at+jwt' } })],
    ['pending session (sts: pending)', () => harness.kit.mintSessionToken({ userId, claims: { sts: 'pending' } })],
    ['API key', () => 'ak_live_0123456789abcdef'],
    ['M2M opaque token', () => 'mt_0123456789abcdef'],
    ['OAuth opaque token', () => 'oat_0123456789abcdef'],
    ['not a JWT', () => 'hello'],
    ['two segments', () => 'abc.def'],
    ['four segments', () => 'a.b.c.d'],
    ['header not JSON', () => `${Buffer.from('{{{').toString('base64url')}.${b64({ sub: userId })}.sig`],
    ['header is a JSON string', () => `${b64('x')}.${b64({ sub: userId })}.sig`],
    ['payload not JSON', () => `${b64({ alg: 'RS256', typ: 'JWT' })}.${Buffer.from('nope').toString('base64url')}.sig`],
    ['oversized (12 KiB, under the HTTP header limit)', () => `${valid()}${'A'.repeat(12 * 1024)}`],
    ['latin-1 garbage', () => '\u00ff\u00fe.\u00fd\u00e9.\u00fc'],
  ];

  it.each(cases)('%s → 401 with a generic body', async (_name, makeToken) => {
    const response = await harness.http().get('/me').set('Authorization', `Bearer ${makeToken()}`);
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ message: 'Unauthorized', statusCode: 401 });
  });

  it.each(cases)('%s in the __session cookie → 401', async (_name, makeToken) => {
    const response = await harness.http().get('/me').set('Cookie', `__session=${encodeURIComponent(makeToken())}`);
    expect(response.status).toBe(401);
  });

  it('no token → 401; a non-Bearer scheme is no token', async () => {
    await harness.http().get('/me').expect(401);
    await harness.http().get('/me').set('Authorization', `Basic ${valid()}`).expect(401);
    await harness.http().get('/me').set('Authorization', 'Bearer ').expect(401);
  });

  it('none of the refused tokens touched the database or the Clerk API', async () => {
    expect(harness.queries.count).toBe(0);
    expect(harness.api.requests).toHaveLength(0);
    expect(await harness.dataSource.query('SELECT count(*)::int AS n FROM clerk_users')).toEqual([{ n: 0 }]);
  });

  it('a valid token is accepted from the header and from the cookie (control case)', async () => {
    await harness.http().get('/me').set('Authorization', `Bearer ${valid()}`).expect(200);
    const response = await harness.http().get('/me').set('Cookie', `theme=dark; __session=${valid()}`).expect(200);
    expect(response.body.clerkId).toBe(userId);
  });

  it('a token signed by another key is refused even after a valid one of the same user was cached', async () => {
    await harness.http().get('/me').set('Authorization', `Bearer ${otherKit.mintSessionToken({ userId })}`).expect(401);
  });

  it('bad input never takes the process down: 200 concurrent forged requests, then the app still answers', async () => {
    const forged = Array.from({ length: 200 }, (_, i) => cases[i % cases.length][1]());
    const statuses = await Promise.all(forged.map((token) => harness.http().get('/me').set('Authorization', `Bearer ${token}`).then((r) => r.status)));
    expect(new Set(statuses)).toEqual(new Set([401]));
    await harness.http().get('/public').expect(200);
  });
});
