import { BadRequestException, Body, Controller, Get, Inject, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Public } from 'nestjs-clerk-users';
import type { ClerkEmulator } from './clerk-emulator.js';
import { SEED_MEMBERSHIPS, SEED_ORGANIZATIONS, SEED_STAFF_USER_ID, SEED_USERS } from './seed.js';

export const CLERK_EMULATOR = Symbol('CLERK_EMULATOR');

/**
 * Emulator-only endpoints (never mounted with real keys): the seeded people, and a session token for
 * one of them, set in the `__session` cookie as Clerk's frontend does.
 */
@Controller('emulator')
export class EmulatorController {
  constructor(@Inject(CLERK_EMULATOR) private readonly emulator: ClerkEmulator) {}

  @Public()
  @Get('directory')
  directory() {
    return { users: SEED_USERS, organizations: SEED_ORGANIZATIONS, memberships: SEED_MEMBERSHIPS, staffUserIds: [SEED_STAFF_USER_ID] };
  }

  @Public()
  @Post('session')
  session(@Body() body: { userId?: string; orgId?: string | null }, @Res({ passthrough: true }) response: Response) {
    const user = SEED_USERS.find((u) => u.id === body?.userId);
    if (!user) throw new BadRequestException('unknown seeded user');
    const membership = body.orgId ? SEED_MEMBERSHIPS.find((m) => m.userId === user.id && m.organizationId === body.orgId) : undefined;
    if (body.orgId && !membership) throw new BadRequestException('that user is not a member of that organization');
    const org = membership && SEED_ORGANIZATIONS.find((o) => o.id === membership.organizationId);
    const token = this.emulator.kit.mintSessionToken({
      userId: user.id,
      expiresInSeconds: 3600,
      org: org && membership ? { id: org.id, slug: org.slug, role: membership.role, permissions: membership.permissions } : undefined,
    });
    response.cookie('__session', token, { sameSite: 'lax', httpOnly: false, path: '/' });
    return { token };
  }
}
