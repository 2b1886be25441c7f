import { describe, expect, it } from '@jest/globals';
import { Controller, Get, Req } from '@nestjs/common';
import { CurrentUser, OrganizationsModule, Public, type AbstractClerkUser } from '../../lib/index.js';
import { useClerkTestApp } from '../support/clerk-test-app.js';
import type { TestPlatform } from '../support/create-app.js';

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
  const harness = useClerkTestApp({ platform, controllers: [ShapeController], imports: [OrganizationsModule.forRoot()] });

  it('an anonymous request owns exactly the declared fields, all undefined to the handler', async () => {
    const { body } = await harness.http().get('/shape').expect(200);
    expect(body).toEqual({ own: declared, clerkId: null });
  });

  it('an authenticated request gets its user in the declared field', async () => {
    const user = harness.api.addUser({ email: 'shape@example.com' });
    const { body } = await harness.http().get('/shape').set('Authorization', `Bearer ${harness.kit.mintSessionToken({ userId: user.id })}`).expect(200);
    expect(body.clerkId).toBe(user.id);
    expect(body.own).toEqual(expect.arrayContaining(['user', 'auth', 'org', 'organization', 'organizationMembership']));
  });
});
