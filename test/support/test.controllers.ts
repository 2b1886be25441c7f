import { Controller, Get, Req, UseGuards } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { ClerkAuthenticatedRequest, ClerkOrgContext } from '../../lib/index.js';
import {
  AbstractClerkUser,
  ClerkAuthGuard,
  CurrentOrg,
  CurrentUser,
  Public,
  RequireOrg,
  RequireOrgPermission,
  RequireOrgRole,
  RequireStaff,
  RequireSuperuser,
} from '../../lib/index.js';

const view = (user: AbstractClerkUser | undefined) =>
  user ? { id: user.id, clerkId: user.clerkId, email: user.email, fullName: user.fullName, isActive: user.isActive } : null;

/** Routes exercising each public decorator. */
@Controller()
export class ProbeController {
  @Public()
  @Get('public')
  publicRoute(@CurrentUser() user: AbstractClerkUser | undefined) {
    return { user: view(user) };
  }

  @Get('me')
  me(@CurrentUser() user: AbstractClerkUser) {
    return view(user);
  }

  @Get('me/email')
  email(@CurrentUser('email') email: string | null) {
    return { email };
  }

  @Get('org')
  org(@CurrentOrg() org: ClerkOrgContext | null, @Req() request: ClerkAuthenticatedRequest) {
    return { org, requestOrg: request.org ?? null };
  }

  @Get('org-entity')
  orgEntity(@CurrentOrg({ entity: true }) org: { clerkId: string; name: string } | null) {
    return { organization: org ? { clerkId: org.clerkId, name: org.name } : null };
  }

  @Get('auth')
  auth(@Req() request: ClerkAuthenticatedRequest) {
    const { claims: _claims, ...auth } = request.auth!;
    return auth;
  }

  @RequireOrg()
  @Get('require/org')
  requireOrg() {
    return { ok: true };
  }

  @RequireOrgRole('admin')
  @Get('require/admin')
  requireAdmin() {
    return { ok: true };
  }

  @RequireOrgRole('org:admin', 'billing')
  @Get('require/admin-or-billing')
  requireAdminOrBilling() {
    return { ok: true };
  }

  @RequireOrgPermission('posts:read', 'org:posts:manage')
  @Get('require/posts')
  requirePosts() {
    return { ok: true };
  }

  @RequireOrgRole('admin')
  @RequireOrgPermission('posts:read')
  @Get('require/admin-and-read')
  requireAdminAndRead() {
    return { ok: true };
  }

  @RequireStaff()
  @Get('require/staff')
  requireStaff() {
    return { ok: true };
  }

  @RequireSuperuser()
  @Get('require/superuser')
  requireSuperuser() {
    return { ok: true };
  }

  @Public()
  @RequireOrg()
  @Get('public-but-org')
  publicButOrg() {
    return { ok: true };
  }
}

/** Class metadata with a handler override. */
@RequireOrgRole('admin')
@Controller('admin-area')
export class AdminAreaController {
  @Get()
  index() {
    return { area: 'admin' };
  }

  @RequireOrgRole('member')
  @Get('members-welcome')
  membersWelcome() {
    return { area: 'members' };
  }
}

/** For apps with `globalGuard: false`. */
@Controller('guarded')
export class ExplicitlyGuardedController {
  @UseGuards(ClerkAuthGuard)
  @Get()
  guarded(@CurrentUser('clerkId') clerkId: string) {
    return { clerkId };
  }

  /** The `clerk` Passport strategy, through @nestjs/passport's own guard. */
  @UseGuards(AuthGuard('clerk'))
  @Get('passport')
  viaPassport(@CurrentUser('clerkId') clerkId: string, @Req() request: ClerkAuthenticatedRequest) {
    return { clerkId, sessionId: request.auth?.tokenType === 'session_token' ? request.auth.sessionId : undefined };
  }

  @Get('open')
  open(@CurrentUser() user: AbstractClerkUser | undefined) {
    return { user: user?.clerkId ?? null };
  }
}
