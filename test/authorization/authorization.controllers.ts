import { Controller, Get, Query, Req } from '@nestjs/common';
import {
  AbstractClerkUser,
  AllowImpersonation,
  AllowMachine,
  AllowPendingSession,
  Auth,
  ClerkAuthorization,
  CurrentUser,
  DenyImpersonation,
  Public,
  RequireFeature,
  RequireMachine,
  RequireOrg,
  RequireOrgPermission,
  RequirePlan,
  RequireReverification,
  RequireScopes,
  type ClerkAuthenticatedRequest,
  type ClerkAuthObject,
  type ClerkHasParams,
} from '../../lib/index.js';

/** Clerk Billing: features (`fea`) and plans (`pla`) in user and org scope. */
@Controller('billing')
export class BillingController {
  @RequireFeature('export')
  @Get('export')
  anyScopeFeature() {
    return { ok: true };
  }

  @RequireFeature('u:export')
  @Get('user-export')
  userFeature() {
    return { ok: true };
  }

  @RequireFeature('o:analytics')
  @Get('org-analytics')
  orgFeature() {
    return { ok: true };
  }

  @RequireFeature('o:analytics', 'u:export')
  @Get('analytics-or-export')
  anyOfFeatures() {
    return { ok: true };
  }

  @RequirePlan('pro')
  @Get('pro')
  anyScopePlan() {
    return { ok: true };
  }

  @RequirePlan('u:pro')
  @Get('user-pro')
  userPlan() {
    return { ok: true };
  }

  @RequirePlan('org:team')
  @Get('org-team')
  orgPlan() {
    return { ok: true };
  }

  @RequirePlan('o:team')
  @RequireOrgPermission('posts:read')
  @Get('team-posts')
  planAndPermission() {
    return { ok: true };
  }
}

/** Class metadata (`team` plan) overridden by a handler (`pro` plan). */
@RequirePlan('o:team')
@Controller('team-area')
export class TeamAreaController {
  @Get()
  index() {
    return { ok: true };
  }

  @RequirePlan('u:pro')
  @Get('pro-only')
  proOnly() {
    return { ok: true };
  }
}

/** Reverification: `strict` for the whole controller, each preset and a custom level on handlers. */
@RequireReverification('strict')
@Controller('sensitive')
export class SensitiveController {
  @Get('strict')
  strict() {
    return { ok: true };
  }

  @RequireReverification('strict_mfa')
  @Get('strict-mfa')
  strictMfa() {
    return { ok: true };
  }

  @RequireReverification('moderate')
  @Get('moderate')
  moderate() {
    return { ok: true };
  }

  @RequireReverification('lax')
  @Get('lax')
  lax() {
    return { ok: true };
  }

  @RequireReverification({ level: 'first_factor', afterMinutes: 5 })
  @Get('first-factor-5')
  firstFactor() {
    return { ok: true };
  }

  @RequireFeature('export')
  @RequireReverification('strict')
  @Get('export')
  export() {
    return { ok: true };
  }
}

/** A user with a session task left (`sts: pending`) may reach these routes only. */
@AllowPendingSession()
@Controller('onboarding')
export class OnboardingController {
  @Get()
  status(@CurrentUser() user: AbstractClerkUser, @Req() request: ClerkAuthenticatedRequest) {
    return { clerkId: user.clerkId, sessionStatus: request.auth?.tokenType === 'session_token' ? request.auth.sessionStatus : null };
  }

  @RequireOrg()
  @Get('org')
  org(@Req() request: ClerkAuthenticatedRequest) {
    return { orgId: request.auth?.orgId ?? null };
  }

  @Public()
  @Get('public')
  publicStatus(@CurrentUser() user: AbstractClerkUser | undefined) {
    return { clerkId: user?.clerkId ?? null };
  }
}

/** Impersonation: denied on the password route, the module's default elsewhere, allowed explicitly on support. */
@Controller('account')
export class AccountController {
  @DenyImpersonation()
  @Get('password')
  password(@Auth() auth: ClerkAuthObject) {
    return { actor: auth.tokenType === 'session_token' ? auth.actor : null };
  }

  @Get('profile')
  profile(@Req() request: ClerkAuthenticatedRequest) {
    return { actor: request.auth?.tokenType === 'session_token' ? request.auth.actor : null };
  }

  @AllowImpersonation()
  @Get('support')
  support(@Req() request: ClerkAuthenticatedRequest) {
    return { actor: request.auth?.tokenType === 'session_token' ? request.auth.actor : null };
  }

  @Public()
  @DenyImpersonation()
  @Get('public-no-impersonation')
  publicDenied(@CurrentUser() user: AbstractClerkUser | undefined) {
    return { clerkId: user?.clerkId ?? null };
  }
}

/** Denied for the whole controller; one handler lets impersonators in. */
@DenyImpersonation()
@Controller('billing-settings')
export class BillingSettingsController {
  @Get()
  index() {
    return { ok: true };
  }

  @AllowImpersonation()
  @Get('read-only')
  readOnly() {
    return { ok: true };
  }
}

/** `has()` three ways: `@Auth().has()`, `ClerkAuthorization.has()`, and a decorator on the same question. */
@Controller('has')
export class HasController {
  constructor(private readonly authorization: ClerkAuthorization) {}

  @Public()
  @AllowPendingSession()
  @Get()
  has(@Auth() auth: ClerkAuthObject | null, @Req() request: ClerkAuthenticatedRequest, @Query() query: Record<string, string>) {
    const params: ClerkHasParams = { ...query };
    if (query.reverification?.startsWith('{')) params.reverification = JSON.parse(query.reverification) as ClerkHasParams['reverification'];
    return {
      tokenType: auth?.tokenType ?? null,
      auth: auth?.tokenType === 'session_token' ? auth.has(params) : null,
      service: this.authorization.has(request.auth, params),
    };
  }
}

/** Machine tokens and their scopes. */
@Controller('scoped')
export class ScopedController {
  @RequireMachine()
  @RequireScopes('reports:read', 'reports:write')
  @Get('reports')
  reports(@Auth() auth: ClerkAuthObject) {
    return { tokenType: auth.tokenType, scopes: auth.tokenType === 'session_token' || auth.tokenType === null ? null : auth.scopes };
  }

  @AllowMachine()
  @RequireScopes('reports:read')
  @Get('either')
  either(@Auth() auth: ClerkAuthObject) {
    return { tokenType: auth.tokenType };
  }

  @AllowMachine('api_key')
  @RequireScopes('reports:read')
  @RequireFeature('export')
  @Get('feature')
  feature() {
    return { ok: true };
  }
}

/** Class scopes overridden by the handler's. */
@RequireMachine()
@RequireScopes('admin')
@Controller('scoped-area')
export class ScopedAreaController {
  @Get()
  index() {
    return { ok: true };
  }

  @RequireScopes('reports:read')
  @Get('reports')
  reports() {
    return { ok: true };
  }
}
