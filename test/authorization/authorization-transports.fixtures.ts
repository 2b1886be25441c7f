import { UseGuards } from '@nestjs/common';
import { Context, Field, Int, Mutation, ObjectType, Query, Resolver, Subscription } from '@nestjs/graphql';
import { ConnectedSocket, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import type { Socket } from 'socket.io';
import {
  AllowMachine,
  AllowPendingSession,
  Auth,
  ClerkAuthGuard,
  ClerkAuthorization,
  CurrentUser,
  DenyImpersonation,
  RequireFeature,
  RequirePlan,
  RequireReverification,
  RequireScopes,
  type ClerkAuthenticatedRequest,
  type ClerkAuthObject,
} from '../../lib/index.js';

@ObjectType()
export class SessionView {
  @Field(() => String)
  clerkId: string;

  @Field(() => String, { nullable: true })
  sessionStatus: string | null;
}

@ObjectType()
export class Entitlement {
  @Field(() => Boolean)
  auth: boolean;

  @Field(() => Boolean)
  service: boolean;
}

@ObjectType()
export class Secret {
  @Field(() => Int)
  n: number;
}

const sessionStatusOf = (auth: ClerkAuthObject | null): string | null => (auth?.tokenType === 'session_token' ? auth.sessionStatus : null);

/** Each check in a resolver; guarded by the module's global guard. */
@Resolver()
export class AuthorizationResolver {
  constructor(private readonly authorization: ClerkAuthorization) {}

  @RequireFeature('export')
  @Query(() => Boolean)
  exportReport(): boolean {
    return true;
  }

  @RequirePlan('o:team')
  @Query(() => Boolean)
  teamReport(): boolean {
    return true;
  }

  /** `has()` from a resolver: `@Auth()` and the injected service on the context's request. */
  @Query(() => Entitlement)
  canExport(@Auth() auth: ClerkAuthObject, @Context('req') request: ClerkAuthenticatedRequest): Entitlement {
    return { auth: auth.tokenType === 'session_token' && auth.has({ feature: 'export' }), service: this.authorization.has(request.auth, { feature: 'export' }) };
  }

  @RequireReverification('strict')
  @Mutation(() => Boolean)
  changePassword(): boolean {
    return true;
  }

  @DenyImpersonation()
  @Mutation(() => Boolean)
  closeAccount(): boolean {
    return true;
  }

  @Query(() => SessionView)
  whoami(@CurrentUser('clerkId') clerkId: string, @Auth() auth: ClerkAuthObject): SessionView {
    return { clerkId, sessionStatus: sessionStatusOf(auth) };
  }

  @AllowPendingSession()
  @Query(() => SessionView)
  onboarding(@CurrentUser('clerkId') clerkId: string, @Auth() auth: ClerkAuthObject): SessionView {
    return { clerkId, sessionStatus: sessionStatusOf(auth) };
  }

  @RequireReverification('strict')
  @Subscription(() => Secret, { resolve: (secret: Secret) => secret })
  async *secrets(): AsyncGenerator<Secret> {
    yield { n: 1 };
  }
}

/** Anyone connects; the guard (on the class) checks each message against the handshake token. */
@UseGuards(ClerkAuthGuard)
@WebSocketGateway({ namespace: 'vault' })
export class VaultGateway {
  @RequireFeature('export')
  @SubscribeMessage('export')
  export() {
    return { ok: true };
  }

  @RequireReverification('strict')
  @SubscribeMessage('reveal')
  reveal() {
    return { ok: true };
  }

  @SubscribeMessage('whoami')
  whoami(@CurrentUser('clerkId') clerkId: string) {
    return { clerkId };
  }

  @AllowPendingSession()
  @SubscribeMessage('onboarding')
  onboarding(@CurrentUser('clerkId') clerkId: string, @Auth() auth: ClerkAuthObject) {
    return { clerkId, sessionStatus: sessionStatusOf(auth) };
  }

  @DenyImpersonation()
  @SubscribeMessage('close')
  close() {
    return { ok: true };
  }

  @AllowMachine('api_key')
  @RequireScopes('vault:read')
  @SubscribeMessage('read')
  read(@Auth() auth: ClerkAuthObject, @ConnectedSocket() client: Socket) {
    return { tokenType: auth.tokenType, onSocket: (client.data as { auth?: { tokenType?: string } }).auth?.tokenType ?? null };
  }
}
