import { beforeAll, describe, expect, it } from '@jest/globals';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { StaffAccountsService, type AbstractClerkUser } from '../../lib/index.js';
import { useClerkTestApp } from '../support/clerk-test-app.js';
import { PLATFORMS } from '../support/create-app.js';
import { ProbeController } from '../support/test.controllers.js';
import { withSessionMiddleware } from './session-support.js';

const ORIGIN = 'http://localhost:3000';
const PASSWORD = 'correct horse battery staple';
const PER_ACCOUNT = 3;
const PER_IP = 6;

describe.each(PLATFORMS)('failed-login limits per account and per IP (%s)', (platform) => {
  const harness = useClerkTestApp({
    platform,
    fakeApi: false,
    localAuth: { enabled: true, maxFailuresPerAccount: PER_ACCOUNT, maxFailuresPerIp: PER_IP, failureWindowSeconds: 600 },
    // Behind a proxy the app trusts X-Forwarded-For, so one test client can stand for several addresses.
    fastify: { trustProxy: true },
    configure: async (app) => {
      if (platform === 'express') (app as NestExpressApplication).set('trust proxy', true);
      await withSessionMiddleware(platform)(app);
    },
    controllers: [ProbeController],
  });
  let staff: StaffAccountsService;
  let counter = 0;
  let ipCounter = 0;

  beforeAll(() => {
    staff = harness.app.get(StaffAccountsService);
  });

  const newStaff = (): Promise<AbstractClerkUser> => {
    counter += 1;
    return staff.createStaffAccount({ email: `limited${counter}-${platform}@corp.example`, password: PASSWORD });
  };
  /** A fresh client address (documentation range, only ever a header value). */
  const newIp = () => `192.0.2.${++ipCounter}`;
  const login = (ip: string, email: string, password: string) =>
    harness.http().post('/auth/local/login').set('Origin', ORIGIN).set('X-Forwarded-For', ip).send({ email, password });

  it(`after ${PER_ACCOUNT} failures an account answers 429 with Retry-After, even for the right password and from another address`, async () => {
    const account = await newStaff();
    const ip = newIp();
    for (let i = 0; i < PER_ACCOUNT; i++) await login(ip, account.email!, 'wrong password').expect(401);
    const limited = await login(newIp(), account.email!, PASSWORD).expect(429);
    expect(limited.body).toEqual({ message: 'Too Many Requests', statusCode: 429 });
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(600);
    // Another account from the same address is not affected by this account's counter.
    const other = await newStaff();
    await login(ip, other.email!, PASSWORD).expect(200);
  });

  it('an unknown account is limited exactly like a known one (nothing to tell them apart)', async () => {
    const known = await newStaff();
    const unknownEmail = `ghost-${platform}@corp.example`;
    const ip = newIp();
    const knownAnswers: number[] = [];
    const unknownAnswers: number[] = [];
    for (let i = 0; i <= PER_ACCOUNT; i++) {
      knownAnswers.push((await login(ip, known.email!, 'wrong password')).status);
      unknownAnswers.push((await login(newIp(), unknownEmail, 'wrong password')).status);
    }
    expect(knownAnswers).toEqual([401, 401, 401, 429]);
    expect(unknownAnswers).toEqual(knownAnswers);
  });

  it(`after ${PER_IP} failures from one address every login from it answers 429; other addresses still log in`, async () => {
    const ip = newIp();
    for (let i = 0; i < PER_IP; i++) await login(ip, `nobody${i}-${platform}@corp.example`, 'wrong password').expect(401);
    const account = await newStaff();
    await login(ip, account.email!, PASSWORD).expect(429);
    await login(newIp(), account.email!, PASSWORD).expect(200);
  });

  it('a successful login clears the account counter (not the address counter)', async () => {
    const account = await newStaff();
    const ip = newIp();
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < PER_ACCOUNT - 1; i++) await login(ip, account.email!, 'wrong password').expect(401);
      await login(ip, account.email!, PASSWORD).expect(200);
    }
    // 4 failures so far from this address: 2 more reach the address limit.
    await login(ip, account.email!, 'wrong password').expect(401);
    await login(ip, account.email!, 'wrong password').expect(401);
    await login(ip, account.email!, PASSWORD).expect(429);
  });

  it('parallel guesses cannot slip past the counter before it is written', async () => {
    const account = await newStaff();
    const answers = await Promise.all(Array.from({ length: 8 }, () => login(newIp(), account.email!, 'wrong password')));
    const statuses = answers.map((response) => response.status).sort();
    expect(statuses.filter((status) => status === 401)).toHaveLength(PER_ACCOUNT);
    expect(statuses.filter((status) => status === 429)).toHaveLength(8 - PER_ACCOUNT);
  });
});
