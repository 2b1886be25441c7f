import { beforeAll, describe, expect, it } from '@jest/globals';
import { createSign, generateKeyPairSync, type JsonWebKey, type KeyObject } from 'node:crypto';
import { verifyToken } from '@clerk/backend';
import { decodeJwt, verifyJwt } from '@clerk/backend/jwt';
import fc from 'fast-check';
import { ClerkJwtHeaderMemo, decodeClerkJwt } from '../../lib/auth/clerk-jwt-decoder.js';
import { dateMsOf, prepareClerkJwtChecks, verifyClerkJwt, type ClerkJwtChecks } from '../../lib/auth/clerk-session-jwt.js';
import { importClerkJwk, importClerkPem } from '../../lib/auth/clerk-verification-key.js';
import { ClerkTokenRejectedError } from '../../lib/auth/token-rejected.error.js';

// The cold path checks a token with a kept key and restated claim rules; @clerk/backend's verifyJwt
// imports the key on every call. Both run here on the same tokens and must give the same verdict
// (accepted, or refused with the same TokenVerificationErrorReason).

const KID = 'ins_2diffTestKid0000000000000';
const HASH: Record<string, string> = { RS256: 'sha256', RS384: 'sha384', RS512: 'sha512', HS256: 'sha256', none: 'sha256' };
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function sign(header: Record<string, unknown>, payload: Record<string, unknown>, key: KeyObject, hashOf = header.alg): string {
  const data = `${b64(header)}.${b64(payload)}`;
  const signature = createSign(HASH[String(hashOf)] ?? 'sha256').update(data).sign(key).toString('base64url');
  return `${data}.${signature}`;
}

/** Clerk's verdict: `ok` or the refusal reason. */
async function clerkVerdict(token: string, jwk: JsonWebKey | string, checks: ClerkJwtChecks): Promise<string> {
  try {
    await verifyJwt(token, { ...checks, key: jwk });
    return 'ok';
  } catch (error) {
    return String((error as { reason?: unknown }).reason);
  }
}

function ourVerdict(token: string, key: Parameters<typeof verifyClerkJwt>[1], checks: ClerkJwtChecks): string {
  const decoded = decodeClerkJwt(token);
  if (!decoded) return 'token-invalid';
  try {
    verifyClerkJwt(decoded, key, prepareClerkJwtChecks(checks));
    return 'ok';
  } catch (error) {
    if (error instanceof ClerkTokenRejectedError) return error.reason;
    throw error;
  }
}

describe('verifyClerkJwt gives @clerk/backend verifyJwt\'s verdict on every token', () => {
  const signer = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicJwk = signer.publicKey.export({ format: 'jwk' });
  const jwks: Record<string, JsonWebKey> = {
    'no alg': { ...publicJwk, kid: KID },
    'alg RS256, use sig': { ...publicJwk, kid: KID, alg: 'RS256', use: 'sig' },
    'alg RS512': { ...publicJwk, kid: KID, alg: 'RS512' },
    'use enc': { ...publicJwk, kid: KID, use: 'enc' },
    'not RSA': { kty: 'EC', crv: 'P-256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0', kid: KID },
  };
  const imported: Record<string, Awaited<ReturnType<typeof importClerkJwk>>> = {};
  beforeAll(async () => {
    for (const [name, jwk] of Object.entries(jwks)) imported[name] = await importClerkJwk(KID, jwk);
  });

  const now = () => Math.floor(Date.now() / 1000);
  /** Mostly the first value (a token that gets far), sometimes one of the others. */
  const mostly = <T,>(usual: T, ...others: T[]) => fc.oneof({ arbitrary: fc.constant(usual), weight: 6 }, { arbitrary: fc.constantFrom(...others), weight: 1 });
  // Offsets in seconds, each far from the 5-second skew boundary, so both verdicts read the same clock.
  const offset = fc.constantFrom(-3600, -60, 60, 3600);
  const numericDate = (usual: number) =>
    fc.oneof({ arbitrary: fc.constant<unknown>({ relative: usual }), weight: 6 }, offset.map((seconds) => ({ relative: seconds })), fc.constantFrom<unknown>(undefined, 'soon', null, 1e20, 0));
  const tokenArbitrary = fc.record({
    typ: mostly<unknown>('JWT', undefined, 'jwt', 'at+jwt', 5),
    alg: mostly<unknown>('RS256', 'RS384', 'RS512', 'HS256', 'none', undefined),
    sub: mostly<unknown>('user_2abc', undefined, 42, ''),
    aud: mostly<unknown>(undefined, 'api', 'other', ['api', 'x'], ['x'], [], [1], 5, ''),
    azp: mostly<unknown>('http://localhost:3000', undefined, 'https://evil.example', ''),
    iss: mostly<unknown>('https://clerk.example.com', undefined, 'https://other.example', 7),
    exp: numericDate(60),
    nbf: numericDate(-60),
    iat: numericDate(-60),
    signer: mostly('signer', 'stranger', 'tampered'),
    jwk: mostly('no alg', ...Object.keys(jwks)),
    checks: fc.record({
      authorizedParties: fc.constantFrom<string[] | undefined>(undefined, ['http://localhost:3000']),
      issuer: fc.constantFrom<string | string[] | undefined>(undefined, 'https://clerk.example.com', ['https://a.example', 'https://clerk.example.com']),
      audience: fc.constantFrom<string | string[] | undefined>(undefined, 'api', ['api', 'web']),
    }),
  });

  const claimValue = (value: unknown) => (value && typeof value === 'object' && 'relative' in value ? now() + (value as { relative: number }).relative : value);

  it('on generated headers, claims, keys and options (property)', async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(tokenArbitrary, async (input) => {
        const header: Record<string, unknown> = { kid: KID };
        if (input.typ !== undefined) header.typ = input.typ;
        if (input.alg !== undefined) header.alg = input.alg;
        const payload: Record<string, unknown> = { sid: 'sess_1' };
        for (const name of ['sub', 'aud', 'azp', 'iss'] as const) if (input[name] !== undefined) payload[name] = input[name];
        for (const name of ['exp', 'nbf', 'iat'] as const) if (input[name] !== undefined) payload[name] = claimValue(input[name]);
        let token = sign(header, payload, input.signer === 'stranger' ? stranger.privateKey : signer.privateKey, ['RS384', 'RS512'].includes(String(input.alg)) ? input.alg : 'RS256');
        if (input.signer === 'tampered') token = token.replace(/^([^.]+)\.[^.]+/, `$1.${b64({ ...payload, sub: 'user_admin' })}`);
        const checks: ClerkJwtChecks = { ...input.checks, clockSkewInMs: 5000 };
        const verdict = ourVerdict(token, imported[input.jwk], checks);
        expect(verdict).toBe(await clerkVerdict(token, jwks[input.jwk], checks));
        seen.add(verdict);
      }),
      { numRuns: 600, seed: 20261204 },
    );
    // The runs reached acceptance and every kind of refusal, not one early check over and over.
    expect([...seen].sort()).toEqual(
      ['ok', 'token-expired', 'token-iat-in-the-future', 'token-invalid', 'token-invalid-algorithm', 'token-invalid-authorized-parties', 'token-invalid-issuer', 'token-invalid-signature', 'token-not-active-yet', 'token-verification-failed'].sort(),
    );
  });

  it('with jwtKey (PEM): the key @clerk/backend derives accepts RS256 only', async () => {
    const pem = signer.publicKey.export({ format: 'pem', type: 'spki' }).toString();
    const key = importClerkPem(pem);
    const checks: ClerkJwtChecks = { clockSkewInMs: 5000 };
    const verdicts: Record<string, [ours: string, clerk: string]> = {};
    for (const alg of ['RS256', 'RS384', 'RS512']) {
      const token = sign({ alg, typ: 'JWT', kid: KID }, { sub: 'user_1', exp: now() + 60 }, signer.privateKey);
      // verifyToken, as the verifier called it before: it turns the PEM into an RS256 JWK.
      const clerk = await verifyToken(token, { jwtKey: pem, clockSkewInMs: 5000 }).then(() => 'ok', (error: { reason?: string }) => String(error.reason));
      verdicts[alg] = [ourVerdict(token, key, checks), clerk];
    }
    expect(verdicts).toEqual({ RS256: ['ok', 'ok'], RS384: ['token-verification-failed', 'token-verification-failed'], RS512: ['token-verification-failed', 'token-verification-failed'] });
    expect(ourVerdict(sign({ alg: 'RS256', kid: KID }, { sub: 'user_1', exp: now() + 60 }, signer.privateKey), key, checks)).toBe('ok');
  });

  it('imports each key once, as WebCrypto would for each algorithm', () => {
    expect([...imported['no alg'].algorithms]).toEqual(['RS256', 'RS384', 'RS512']);
    expect([...imported['alg RS256, use sig'].algorithms]).toEqual(['RS256']);
    expect(imported['use enc'].key).toBeNull();
    expect(imported['not RSA'].key).toBeNull();
    expect(imported['no alg'].key?.asymmetricKeyType).toBe('rsa');
  });
});

describe('dateMsOf reads a NumericDate as @clerk/backend does (new Date(0).setUTCSeconds)', () => {
  const clerk = (seconds: number): number => new Date(0).setUTCSeconds(seconds);
  const same = (seconds: number) => expect([seconds, dateMsOf(seconds)]).toEqual([seconds, clerk(seconds)]);

  it('on every kind of number (property)', () => {
    fc.assert(fc.property(fc.oneof(fc.double(), fc.integer(), fc.double({ min: -1e13, max: 1e13 }), fc.constantFrom(8.64e12, -8.64e12, 8.64e12 + 1, 8.64e12 + 0.5, -0, 0.9, -0.9)), (seconds) => same(seconds)), { numRuns: 5000, seed: 1204 });
  });

  it('at the edges of the time range and of fractions', () => {
    for (const seconds of [NaN, Infinity, -Infinity, 0, -0, 1.5, -1.5, 8.64e12, -8.64e12, 8.64e12 + 1, -8.64e12 - 1, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, 1e300]) same(seconds);
  });
});

describe('ClerkJwtHeaderMemo', () => {
  const token = (header: unknown) => `${b64(header)}.${b64({ sub: 'user_1' })}.AQ`;

  it('keeps flat headers of the tokens it is given, frozen, and hands out the same object', () => {
    const memo = new ClerkJwtHeaderMemo();
    const first = decodeClerkJwt(token({ alg: 'RS256', kid: KID, typ: 'JWT' }))!;
    memo.remember(first);
    const again = decodeClerkJwt(token({ alg: 'RS256', kid: KID, typ: 'JWT' }), memo)!;
    expect(again.header).toBe(first.header);
    expect(Object.isFrozen(again.header)).toBe(true);
    expect(again.header).toEqual({ alg: 'RS256', kid: KID, typ: 'JWT' });
  });

  it('does not keep a header with a nested value, nor more than its capacity', () => {
    const memo = new ClerkJwtHeaderMemo(2);
    const nested = decodeClerkJwt(token({ alg: 'RS256', jwk: { kty: 'RSA' } }))!;
    memo.remember(nested);
    expect(memo.get(nested.raw.header)).toBeUndefined();
    const headers = [1, 2, 3].map((n) => decodeClerkJwt(token({ alg: 'RS256', kid: `k${n}` }))!);
    for (const jwt of headers) memo.remember(jwt);
    // Full at two: emptied before the third was kept.
    expect(headers.map((jwt) => memo.get(jwt.raw.header) !== undefined)).toEqual([false, false, true]);
  });
});

describe('decodeClerkJwt decodes exactly what @clerk/backend decodeJwt does', () => {
  /** The SDK's result in comparable form, or `null` where it throws. */
  const sdk = (token: string) => {
    try {
      const { header, payload, signature, raw } = decodeJwt(token);
      return { header, payload, signature: Buffer.from(signature).toString('hex'), raw };
    } catch {
      return null;
    }
  };
  const ours = (token: string, memo?: ClerkJwtHeaderMemo) => {
    const jwt = decodeClerkJwt(token, memo);
    return jwt && { header: jwt.header, payload: jwt.payload, signature: Buffer.from(jwt.signature).toString('hex'), raw: jwt.raw };
  };
  const json = fc.jsonValue().map((value) => Buffer.from(JSON.stringify(value)).toString('base64url'));
  const noise = fc.string({ unit: fc.constantFrom(...'AQgw_-=+/.az09é \u0000'.split('')), maxLength: 12 });
  const bytes = fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b).toString('base64url'));
  const segment = fc.oneof(
    { arbitrary: json, weight: 4 },
    { arbitrary: bytes, weight: 4 },
    { arbitrary: noise, weight: 1 },
    { arbitrary: fc.tuple(json, noise).map(([a, b]) => a + b), weight: 1 },
    { arbitrary: bytes.map((b) => `${b}==`), weight: 1 },
  );
  const parts = fc.oneof({ arbitrary: fc.tuple(segment, segment, segment), weight: 4 }, { arbitrary: fc.array(segment, { minLength: 1, maxLength: 4 }), weight: 1 });

  it('on generated three-part (and other) strings (property)', () => {
    let decoded = 0;
    fc.assert(
      fc.property(parts, (segments) => {
        const token = segments.join('.');
        const expected = sdk(token);
        expect(ours(token)).toEqual(expected);
        // With a memo that holds this header (as one from a well-formed token with it): the same result.
        const memo = new ClerkJwtHeaderMemo();
        const twin = decodeClerkJwt(`${segments[0]}.${b64({ sub: 'user_1' })}.AQ`);
        if (twin) memo.remember(twin);
        expect(ours(token, memo)).toEqual(expected);
        if (expected) decoded++;
      }),
      { numRuns: 3000, seed: 4121 },
    );
    expect(decoded).toBeGreaterThan(300);
  });

  it('on the edge cases of its base64url parser', () => {
    const header = Buffer.from('{"alg":"RS256"}').toString('base64url');
    const payload = Buffer.from('{"sub":"user_1"}').toString('base64url');
    // Lengths 4n+1, stray bits after the last byte, padding, inner '=', a BOM, invalid UTF-8, standard base64.
    for (const signature of ['', 'A', 'AB', 'AQ', 'AR', 'AAB', 'AAE', 'AQ==', 'AQ=', 'A=Q', 'AAAA=', '+/+/', 'ab.cd', '_-_-']) {
      const token = `${header}.${payload}.${signature}`;
      expect([signature, ours(token)]).toEqual([signature, sdk(token)]);
    }
    for (const odd of [Buffer.from('\uFEFF{"a":1}'), Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d])]) {
      const token = `${odd.toString('base64url')}.${payload}.AQ`;
      expect(ours(token)).toEqual(sdk(token));
    }
  });
});
