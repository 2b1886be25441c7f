import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ClerkUsersConfigurationError, ClerkUsersModule, type ClerkUsersModuleOptions } from '../../lib/index.js';
import { resolveClerkUsersOptions } from '../../lib/options/resolve-options.js';
import type { ClerkUsersForRootOptions } from '../../lib/index.js';

/** What the module resolves for `forRoot(options)`: `localAuth` is an extra, handed over beside the options. */
const resolveForRoot = ({ localAuth, ...options }: ClerkUsersForRootOptions) => resolveClerkUsersOptions(options, { localAuth });
import { useClerkTestKit } from '../support/clerk-test-app.js';
import { PLATFORMS } from '../support/create-app.js';
import { testDatabaseOptions } from '../support/database.js';
import { withSessionMiddleware } from './session-support.js';

describe('options of server sessions and password logins are validated at boot, naming the option', () => {
  const suite = useClerkTestKit({ fakeApi: false });

  const problemOf = (options: ClerkUsersForRootOptions): string => {
    try {
      resolveForRoot(options);
    } catch (error) {
      expect(error).toBeInstanceOf(ClerkUsersConfigurationError);
      return (error as Error).message;
    }
    throw new Error('expected a configuration error');
  };

  it.each([
    [{ sessions: 'yes' }, 'sessions'],
    [{ sessions: true, authorizedParties: [] }, 'authorizedParties'],
    [{ localAuth: { enabled: true }, authorizedParties: [] }, 'authorizedParties'],
    [{ localAuth: { enabled: 'yes' } }, 'localAuth.enabled'],
    [{ localAuth: true }, 'localAuth'],
    [{ localAuth: { enabled: true, maxFailuresPerIp: 0 } }, 'localAuth.maxFailuresPerIp'],
    [{ localAuth: { enabled: true, maxFailuresPerAccount: 2.5 } }, 'localAuth.maxFailuresPerAccount'],
    [{ localAuth: { enabled: true, failureWindowSeconds: -1 } }, 'localAuth.failureWindowSeconds'],
    [{ localAuth: { enabled: true, sessionMaxAgeSeconds: '3600' } }, 'localAuth.sessionMaxAgeSeconds'],
    [{ localAuth: { enabled: true, path: 'admin login' } }, 'localAuth.path'],
    [{ localAuth: { enabled: true, path: '../admin' } }, 'localAuth.path'],
    [{ localAuth: { enabled: true, maxFailures: 3 } }, 'localAuth.maxFailures'],
  ])('%j → names "%s"', (overrides, option) => {
    expect(problemOf({ ...suite.kit.moduleOptions(), ...(overrides as ClerkUsersForRootOptions) })).toContain(`option "${option}"`);
  });

  it('defaults: sessions off, password logins off; with localAuth on, documented limits', () => {
    const plain = resolveForRoot(suite.kit.moduleOptions());
    expect(plain.sessions).toBe(false);
    expect(plain.localAuth).toBeNull();
    expect(resolveForRoot(suite.kit.moduleOptions({ localAuth: { enabled: false } })).localAuth).toBeNull();
    expect(resolveForRoot(suite.kit.moduleOptions({ sessions: true, localAuth: { enabled: true, path: '/staff/' } })).localAuth).toEqual({
      path: 'staff',
      maxFailuresPerAccount: 5,
      maxFailuresPerIp: 20,
      failureWindowSeconds: 900,
      sessionMaxAgeSeconds: 28_800,
    });
  });

  it('forRoot() refuses a bad localAuth at import time (it decides which controllers exist)', () => {
    expect(() => ClerkUsersModule.forRoot({ ...suite.kit.moduleOptions(), localAuth: { enabled: true, path: 'a b' } })).toThrow('option "localAuth.path"');
  });

  it('forRootAsync(): localAuth returned by the factory fails the boot, naming the option', async () => {
    let initialising: Promise<DataSource> | undefined;
    const compile = Test.createTestingModule({
      imports: [
        TypeOrmModule.forRootAsync({ useFactory: () => testDatabaseOptions(), dataSourceFactory: (options) => (initialising = new DataSource(options!).initialize()) }),
        ClerkUsersModule.forRootAsync({ useFactory: () => ({ ...suite.kit.moduleOptions(), localAuth: { enabled: true } }) }),
      ],
    }).compile();
    await expect(compile).rejects.toThrow('option "localAuth" must be passed to forRootAsync() itself');
    // The failed boot leaves TypeORM mid-migration: let it finish and close, so it races no later app's schema.
    await (await initialising?.catch(() => undefined))?.destroy();
  });
});

describe.each(PLATFORMS)('forRootAsync() with localAuth beside useFactory (%s)', (platform) => {
  const suite = useClerkTestKit({ fakeApi: false });
  let app: INestApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        TypeOrmModule.forRoot(testDatabaseOptions()),
        ClerkUsersModule.forRootAsync({ useFactory: () => suite.kit.moduleOptions({ sessions: true }), localAuth: { enabled: true, path: 'staff' } }),
      ],
    }).compile();
    // Built by hand: createTestApp() imports forRoot(), this suite is about forRootAsync().
    app = platform === 'fastify' ? moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: false }) : moduleRef.createNestApplication({ logger: false });
    await withSessionMiddleware(platform)(app);
    await app.init();
    if (platform === 'fastify') await (app as NestFastifyApplication).getHttpAdapter().getInstance().ready();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('mounts the endpoints at the configured path', async () => {
    const agent = request(app.getHttpServer());
    await agent.post('/staff/login').set('Origin', 'http://localhost:3000').send({ email: 'nobody@corp.example', password: 'whatever-long' }).expect(401);
    await agent.post('/auth/local/login').set('Origin', 'http://localhost:3000').send({}).expect(404);
  });
});
