import { Controller, Get, Req } from '@nestjs/common';
import type { ClerkAuthenticatedRequest, ClerkOrgContext } from '../../lib/index.js';
import { AbstractClerkUser, AllowMachine, CurrentOrg, CurrentUser, isMachineAuth, Public, RequireMachine, RequireStaff } from '../../lib/index.js';

/** What a handler saw: the token kind, the machine fields, and whether a user was resolved. */
function seen(request: ClerkAuthenticatedRequest, user: AbstractClerkUser | undefined | null) {
  const auth = request.auth;
  return {
    tokenType: auth?.tokenType ?? null,
    machine: isMachineAuth(auth) ? { ...auth } : null,
    user: user?.clerkId ?? null,
    // `@CurrentUser()` is exactly null for a machine caller (undefined would mean "no caller").
    userIsNull: user === null,
  };
}

/** Routes for machine callers: machine-only, machines besides users, and user-only routes. */
@Controller('machine')
export class MachineProbeController {
  @RequireMachine()
  @Get('only')
  only(@Req() request: ClerkAuthenticatedRequest, @CurrentUser() user: AbstractClerkUser | undefined) {
    return seen(request, user);
  }

  @RequireMachine('m2m_token')
  @Get('m2m-only')
  m2mOnly(@Req() request: ClerkAuthenticatedRequest, @CurrentUser() user: AbstractClerkUser | undefined) {
    return seen(request, user);
  }

  @AllowMachine()
  @Get('either')
  either(@Req() request: ClerkAuthenticatedRequest, @CurrentUser() user: AbstractClerkUser | undefined, @CurrentOrg() org: ClerkOrgContext | null) {
    return { ...seen(request, user), org };
  }

  @Get('users-only')
  usersOnly(@Req() request: ClerkAuthenticatedRequest, @CurrentUser() user: AbstractClerkUser | undefined) {
    return seen(request, user);
  }

  @AllowMachine()
  @RequireStaff()
  @Get('staff')
  staff() {
    return { ok: true };
  }

  @Public()
  @AllowMachine()
  @Get('public-machines')
  publicMachines(@Req() request: ClerkAuthenticatedRequest, @CurrentUser() user: AbstractClerkUser | undefined) {
    return seen(request, user);
  }

  @Public()
  @Get('public')
  publicRoute(@Req() request: ClerkAuthenticatedRequest, @CurrentUser() user: AbstractClerkUser | undefined) {
    return seen(request, user);
  }
}

/** Class-level `@RequireMachine()` with a handler that also lets users in. */
@RequireMachine('api_key')
@Controller('keys')
export class ApiKeyAreaController {
  @Get()
  index(@Req() request: ClerkAuthenticatedRequest) {
    return { tokenType: request.auth?.tokenType ?? null };
  }

  @AllowMachine('api_key')
  @Get('shared')
  shared(@Req() request: ClerkAuthenticatedRequest) {
    return { tokenType: request.auth?.tokenType ?? null };
  }
}
