import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, Req } from '@nestjs/common';
import request from 'supertest';
import { CurrentUser, OrganizationsModule, Public, type AbstractClerkUser } from '../../lib/index.js';
import { ClerkTestKit } from '../../lib/testing/index.js';
import { createTestApp, type TestApp, type TestPlatform } from '../support/create-app.js';

const FIELDS = ['user', 'auth', 'org', 'organization', 'organizationMembership'];

/** Which auth fields the request object owns by the time a handler runs, and what the guard put there. */
@Controller('shape')
class ShapeController {
  @Public()
  @Get()
  shape(@Req() req: Record<string, unknown>, @CurrentUser() user: AbstractClerkUser | undefined) {
    return { own: FIELDS.filter((field) => Object.prototype.hasOwnProperty.call(req, field)), clerkId: user?.clerkId ?? null };
  }
}

describe.each<[TestPlatform, string[]]>([
  // Express: declared on the fresh request, before Express swaps its prototype (see ClerkExpressRequestShape).
  ['express', FIELDS],
  // Fastify: left alone.
  ['fastify', []],
])('request fields declared ahead of the guard (%s)', (platform, declared) => {
  let kit: ClerkTestKit;
  let harness: TestApp;

  beforeAll(async () => {
    kit = await ClerkTestKit.create();
    await kit.startFakeApi();
    harness = await createTestApp({ clerk: kit.moduleOptions(), platform, controllers: [ShapeController], imports: [OrganizationsModule.forRoot()] });
  });
  afterAll(async () => {
    await harness?.close();
    await kit?.close();
  });

  it('an anonymous request owns exactly the declared fields, all undefined to the handler', async () => {
    const { body } = await request(harness.app.getHttpServer()).get('/shape').expect(200);
    expect(body).toEqual({ own: declared, clerkId: null });
  });

  it('an authenticated request gets its user in the declared field', async () => {
    const user = kit.fakeApi!.addUser({ email: 'shape@example.com' });
    const { body } = await request(harness.app.getHttpServer()).get('/shape').set('Authorization', `Bearer ${kit.mintSessionToken({ userId: user.id })}`).expect(200);
    expect(body.clerkId).toBe(user.id);
    expect(body.own).toEqual(expect.arrayContaining(['user', 'auth', 'org', 'organization', 'organizationMembership']));
  });
});
