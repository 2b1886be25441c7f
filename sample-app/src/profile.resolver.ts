import { Field, ObjectType, Query, Resolver, Subscription } from '@nestjs/graphql';
import { CurrentOrg, CurrentUser, Public, type ClerkOrganization, type ClerkOrgContext } from 'nestjs-clerk-users';
import type { AppUser } from './app-user.entity.js';
import { RecentEvents, type RecentEvent } from './recent-events.handler.js';

@ObjectType()
class Me {
  @Field(() => String, { nullable: true, description: 'null for a staff password login' })
  clerkId: string | null;

  @Field(() => String, { nullable: true })
  email: string | null;

  @Field(() => String)
  fullName: string;
}

@ObjectType()
class MyOrg {
  @Field(() => String)
  id: string;

  @Field(() => String, { nullable: true })
  slug: string | null;

  @Field(() => String, { nullable: true })
  role: string | null;

  @Field(() => String, { nullable: true, description: 'from the local organizations table' })
  name: string | null;
}

@ObjectType()
class WebhookEvent {
  @Field(() => String)
  type: string;

  @Field(() => String)
  svixId: string;

  @Field(() => String)
  at: string;
}

/** The GraphQL side of the API (POST /graphql): the same global guard and decorators as the controllers. */
@Resolver()
export class ProfileResolver {
  constructor(private readonly events: RecentEvents) {}

  @Public()
  @Query(() => String)
  hello(@CurrentUser() user: AppUser | undefined): string {
    return `Hello, ${user?.fullName || user?.email || 'anonymous'}`;
  }

  @Query(() => Me) // UNAUTHENTICATED without a signed-in user
  me(@CurrentUser() user: AppUser): Me {
    return { clerkId: user.clerkId, email: user.email, fullName: user.fullName };
  }

  @Query(() => MyOrg, { nullable: true })
  myOrg(@CurrentOrg() org: ClerkOrgContext | null, @CurrentOrg({ entity: true }) local: ClerkOrganization | null): MyOrg | null {
    return org && { id: org.id, slug: org.slug, role: org.role, name: local?.name ?? null };
  }

  /** graphql-ws: each webhook event the sample processes from now on (a signed-in connection only). */
  @Subscription(() => WebhookEvent, { resolve: ([event]: [RecentEvent]) => event })
  webhookEvents(): AsyncIterableIterator<[RecentEvent]> {
    return this.events.stream();
  }
}
