import { Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { CurrentOrg, CurrentUser, Public, RequireOrgRole, type ClerkAuthenticatedRequest, type ClerkOrganization, type ClerkOrgContext } from 'nestjs-clerk-users';
import type { AppUser } from './app-user.entity.js';
import { RecentEvents } from './recent-events.handler.js';

/** The API the page calls: every route needs a signed-in user unless marked @Public(). */
@Controller()
export class ProfileController {
  constructor(private readonly events: RecentEvents) {}

  @Public() // no user needed; a signed-in one is still seen
  @Get('whoami')
  whoami(@CurrentUser() user: AppUser | undefined, @Req() request: ClerkAuthenticatedRequest<AppUser>) {
    return { signedIn: Boolean(user), method: request.auth?.method ?? null, clerkId: user?.clerkId ?? null, email: user?.email ?? null };
  }

  @Get('me')
  me(@CurrentUser() user: AppUser) {
    return { id: user.id, clerkId: user.clerkId, email: user.email, name: user.fullName, favoriteColor: user.favoriteColor, lastLogin: user.lastLogin };
  }

  @Get('org')
  org(@CurrentOrg() org: ClerkOrgContext | null, @CurrentOrg({ entity: true }) local: ClerkOrganization | null) {
    return { token: org, local: local ? { name: local.name, slug: local.slug, membersCount: local.membersCount } : null };
  }

  @RequireOrgRole('admin')
  @Post('org/admin-action')
  @HttpCode(200)
  adminAction(@CurrentUser('email') email: string | null, @CurrentOrg() org: ClerkOrgContext) {
    return { ok: true, message: `${email ?? 'someone'} ran the admin action in ${org.slug ?? org.id}` };
  }

  @Public()
  @Get('events')
  recentEvents() {
    return this.events.list();
  }
}
