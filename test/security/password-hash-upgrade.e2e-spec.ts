import { randomBytes, scryptSync } from 'node:crypto';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { StaffAccountsService, type AbstractClerkUser } from '../../lib/index.js';
import { hashPassword } from '../../lib/users/password-hasher.js';
import { useClerkTestApp } from '../support/clerk-test-app.js';
import { PLATFORMS } from '../support/create-app.js';
import { ProbeController } from '../support/test.controllers.js';
import { SessionProbeController, withSessionMiddleware } from '../sessions/session-support.js';

const ORIGIN = 'http://localhost:3000';
const PASSWORD = 'correct horse battery staple';

/** A hash as the library made it before N was raised: scrypt N=2^14, r=8, p=1, same string format. */
function legacyHash(password: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(password, salt, 32, { N: 2 ** 14, r: 8, p: 1 });
  return ['scrypt', 2 ** 14, 8, 1, salt.toString('base64url'), key.toString('base64url')].join('$');
}

const parametersOf = (hash: string) => {
  const [scheme, N, r, p] = hash.split('$');
  return { scheme, N: Number(N), r: Number(r), p: Number(p) };
};

describe('staff password hashes: OWASP scrypt parameters', () => {
  it('a new hash records N=2^17, r=8, p=1', async () => {
    expect(parametersOf(await hashPassword(PASSWORD))).toEqual({ scheme: 'scrypt', N: 2 ** 17, r: 8, p: 1 });
  });
});

describe.each(PLATFORMS)('a stored weaker hash is upgraded at the next successful login (%s)', (platform) => {
  const harness = useClerkTestApp({
    platform,
    fakeApi: false,
    localAuth: { enabled: true, maxFailuresPerAccount: 50, maxFailuresPerIp: 500 },
    configure: withSessionMiddleware(platform),
    controllers: [ProbeController, SessionProbeController],
  });
  let staff: StaffAccountsService;
  let counter = 0;

  beforeAll(() => {
    staff = harness.app.get(StaffAccountsService);
  });

  /** A staff account whose stored hash is a legacy N=2^14 one. */
  const legacyStaff = async (): Promise<{ account: AbstractClerkUser; hash: string }> => {
    counter += 1;
    const account = await staff.createStaffAccount({ email: `legacy${counter}-${platform}@corp.example`, password: PASSWORD });
    const hash = legacyHash(PASSWORD);
    await harness.dataSource.query(`UPDATE clerk_users SET "passwordHash" = $1 WHERE id = $2`, [hash, account.id]);
    return { account, hash };
  };
  const storedHash = async (id: string): Promise<string> => (await staff.findByIdWithPassword(id))!.passwordHash!;
  const login = (browser: ReturnType<typeof harness.agent>, email: string, password: string) =>
    browser.post('/auth/local/login').set('Origin', ORIGIN).send({ email, password });

  it('a failed login leaves the stored hash alone', async () => {
    const { account, hash } = await legacyStaff();
    await login(harness.agent(), account.email!, 'wrong password').expect(401);
    expect(await storedHash(account.id)).toBe(hash);
  });

  it('the legacy hash still verifies; the successful login replaces it with an N=2^17 hash of the same password, and the new session works', async () => {
    const { account, hash } = await legacyStaff();
    const browser = harness.agent();
    await login(browser, account.email!, PASSWORD).expect(200);
    const upgraded = await storedHash(account.id);
    expect(upgraded).not.toBe(hash);
    expect(parametersOf(upgraded)).toEqual({ scheme: 'scrypt', N: 2 ** 17, r: 8, p: 1 });
    // The session started by that login carries the new hash's digest: it is not signed out.
    expect((await browser.get('/session-probe/whoami').expect(200)).body).toMatchObject({ method: 'local', localUserId: account.id });

    // The upgraded hash verifies, and a current hash is not rewritten at each login.
    await login(harness.agent(), account.email!, PASSWORD).expect(200);
    expect(await storedHash(account.id)).toBe(upgraded);
  });
});
