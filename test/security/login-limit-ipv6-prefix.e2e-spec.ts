import { beforeAll, describe, expect, it } from '@jest/globals';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { StaffAccountsService, type AbstractClerkUser } from '../../lib/index.js';
import { limitedAddress } from '../../lib/sessions/local-login-limiter.js';
import { useClerkTestApp } from '../support/clerk-test-app.js';
import { PLATFORMS } from '../support/create-app.js';
import { ProbeController } from '../support/test.controllers.js';
import { withSessionMiddleware } from '../sessions/session-support.js';

const ORIGIN = 'http://localhost:3000';
const PASSWORD = 'correct horse battery staple';
const PER_IP = 4;

describe('the per-IP counter: an IPv6 address counts as its /64, IPv4 as itself', () => {
  it.each([
    ['2001:db8:1:2:aaaa:bbbb:cccc:dddd', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::1', '2001:db8:1:2::/64'],
    ['2001:0DB8:0001:0002:0000:0000:0000:0009', '2001:db8:1:2::/64'],
    ['2001:db8::', '2001:db8:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['192.0.2.7', '192.0.2.7'],
    ['::ffff:192.0.2.7', '192.0.2.7'],
    ['::ffff:c000:207', '192.0.2.7'],
    ['0:0:0:0:0:ffff:192.0.2.7', '192.0.2.7'],
    ['unknown', 'unknown'],
  ])('%s → %s', (ip, counted) => {
    expect(limitedAddress(ip)).toBe(counted);
  });
});

describe.each(PLATFORMS)('failed-login limit per IPv6 /64 over HTTP (%s)', (platform) => {
  const harness = useClerkTestApp({
    platform,
    fakeApi: false,
    localAuth: { enabled: true, maxFailuresPerAccount: 50, maxFailuresPerIp: PER_IP, failureWindowSeconds: 600 },
    // Behind a trusted proxy X-Forwarded-For is the client address: one test client stands for many.
    fastify: { trustProxy: true },
    configure: async (app) => {
      if (platform === 'express') (app as NestExpressApplication).set('trust proxy', true);
      await withSessionMiddleware(platform)(app);
    },
    controllers: [ProbeController],
  });
  let staff: StaffAccountsService;
  let counter = 0;

  beforeAll(() => {
    staff = harness.app.get(StaffAccountsService);
  });

  const newStaff = (): Promise<AbstractClerkUser> => {
    counter += 1;
    return staff.createStaffAccount({ email: `v6-${counter}-${platform}@corp.example`, password: PASSWORD });
  };
  const login = (ip: string, email: string, password: string) =>
    harness.http().post('/auth/local/login').set('Origin', ORIGIN).set('X-Forwarded-For', ip).send({ email, password });
  const guess = (ip: string, i: number) => login(ip, `nobody${i}-${platform}@corp.example`, 'wrong password');

  it(`an attacker rotating addresses inside one /64 hits one counter: after ${PER_IP} failures the whole /64 answers 429`, async () => {
    const prefix = platform === 'express' ? '2001:db8:e:1' : '2001:db8:f:1';
    for (let i = 0; i < PER_IP; i++) await guess(`${prefix}:${(i + 1).toString(16)}::${i + 7}`, i).expect(401);
    const account = await newStaff();
    await login(`${prefix}:ffff:ffff:ffff:ffff`, account.email!, PASSWORD).expect(429);
    // The neighbouring /64 is another customer.
    await login(`${prefix.slice(0, -1)}2::1`, account.email!, PASSWORD).expect(200);
  });

  it('IPv4 stays per address, and an IPv4-mapped IPv6 address counts as the IPv4 address', async () => {
    const base = platform === 'express' ? '198.51.100' : '203.0.113';
    for (let i = 0; i < PER_IP; i++) await guess(i % 2 ? `${base}.1` : `::ffff:${base}.1`, i).expect(401);
    const account = await newStaff();
    await login(`${base}.1`, account.email!, PASSWORD).expect(429);
    await login(`::ffff:${base}.1`, account.email!, PASSWORD).expect(429);
    await login(`${base}.2`, account.email!, PASSWORD).expect(200);
  });
});
