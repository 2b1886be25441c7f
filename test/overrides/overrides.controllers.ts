import { Controller, Get, Injectable, Req, UnauthorizedException, type ExecutionContext } from '@nestjs/common';
import {
  AbstractClerkUser,
  ClerkAuthGuard,
  ClerkEnricher,
  ClerkUserNotFoundError,
  ClerkUserResolver,
  CurrentUser,
  DefaultClerkUserResolver,
  Public,
  RequireStaff,
  type ClerkAuth,
  type ClerkAuthenticatedRequest,
  type ClerkRequestAuth,
  type ClerkRequestEnricher,
  type ClerkRequestFields,
} from '../../lib/index.js';

/**
 * An app's guard: the token comes from `X-Session-Token` (never `Authorization`), users whose
 * public metadata says `suspended` are inactive, and every 401 has the app's own body.
 */
@Injectable()
export class HeaderTokenGuard extends ClerkAuthGuard {
  static readonly refusals: string[] = [];

  protected override extractCredential(request: ClerkAuthenticatedRequest): string | null {
    const value = request.headers['x-session-token'];
    return typeof value === 'string' && value ? value : null;
  }

  protected override isUserActive(user: AbstractClerkUser, auth: ClerkAuth): boolean {
    return super.isUserActive(user, auth) && user.publicMetadata?.suspended !== true;
  }

  protected override refuse(reason: string, _context: ExecutionContext): never {
    HeaderTokenGuard.refusals.push(reason);
    throw new UnauthorizedException({ statusCode: 401, error: 'SignInRequired', reason });
  }
}

/** Resolves through the default resolver, but only users of one allow-listed email domain exist for this app. */
@Injectable()
export class DomainResolver extends ClerkUserResolver {
  static calls = 0;

  constructor(private readonly defaults: DefaultClerkUserResolver) {
    super();
  }

  async resolve(auth: ClerkRequestAuth): Promise<AbstractClerkUser> {
    DomainResolver.calls += 1;
    const user = await this.defaults.resolve(auth);
    if (!user.email?.endsWith('@allowed.example')) throw new ClerkUserNotFoundError();
    return user;
  }
}

/** Adds `plan` from the user's public metadata to every authenticated request. */
@Injectable()
@ClerkEnricher()
export class PlanEnricher implements ClerkRequestEnricher {
  enrich(_request: Readonly<ClerkAuthenticatedRequest>, user: AbstractClerkUser, auth: ClerkRequestAuth): ClerkRequestFields {
    return { plan: typeof user.publicMetadata?.plan === 'string' ? user.publicMetadata.plan : 'free', planSession: auth.sessionId };
  }
}

type PlanRequest = ClerkAuthenticatedRequest & { plan?: string; planSession?: string };

@Controller('overrides')
export class OverridesController {
  @Get('me')
  me(@CurrentUser() user: AbstractClerkUser) {
    return { clerkId: user.clerkId, email: user.email };
  }

  @RequireStaff()
  @Get('staff')
  staff(@CurrentUser('email') email: string | null) {
    return { email };
  }

  @Public()
  @Get('public')
  open(@CurrentUser() user: AbstractClerkUser | null) {
    return { clerkId: user?.clerkId ?? null };
  }

  @Get('plan')
  plan(@Req() request: PlanRequest) {
    return { plan: request.plan ?? null, planSession: request.planSession ?? null };
  }

  @Public()
  @Get('public-plan')
  publicPlan(@Req() request: PlanRequest) {
    return { plan: request.plan ?? null };
  }
}
