import { Args, Field, Int, Mutation, ObjectType, Query, Resolver, Subscription } from '@nestjs/graphql';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { GraphQLModule } from '@nestjs/graphql';
import {
  AbstractClerkOrganization,
  AbstractClerkUser,
  ClerkWsAuth,
  CurrentOrg,
  CurrentUser,
  Public,
  RequireOrg,
  RequireOrgPermission,
  RequireOrgRole,
  RequireStaff,
  RequireSuperuser,
  type ClerkOrgContext,
} from '../../lib/index.js';

@ObjectType()
export class Viewer {
  @Field(() => String)
  clerkId: string;

  @Field(() => String, { nullable: true })
  email: string | null;

  @Field(() => String, { nullable: true })
  orgId: string | null;

  @Field(() => String, { nullable: true })
  orgRole: string | null;
}

@ObjectType()
export class Tick {
  @Field(() => Int)
  n: number;

  @Field(() => String)
  clerkId: string;
}

const viewer = (user: AbstractClerkUser, org: ClerkOrgContext | null): Viewer => ({
  clerkId: user.clerkId!,
  email: user.email,
  orgId: org?.id ?? null,
  orgRole: org?.role ?? null,
});

/** Code-first resolvers exercising each decorator; guarded by the module's global guard. */
@Resolver()
export class ProbeResolver {
  @Query(() => Viewer)
  me(@CurrentUser() user: AbstractClerkUser, @CurrentOrg() org: ClerkOrgContext | null): Viewer {
    return viewer(user, org);
  }

  @Query(() => String, { nullable: true })
  myEmail(@CurrentUser('email') email: string | null): string | null {
    return email;
  }

  @Public()
  @Query(() => Viewer, { nullable: true })
  maybeMe(@CurrentUser() user: AbstractClerkUser | undefined, @CurrentOrg() org: ClerkOrgContext | null): Viewer | null {
    return user ? viewer(user, org) : null;
  }

  @RequireOrg()
  @Query(() => String)
  orgOnly(@CurrentOrg() org: ClerkOrgContext): string {
    return org.id;
  }

  @RequireOrgRole('admin')
  @Query(() => String)
  adminOnly(@CurrentOrg() org: ClerkOrgContext): string {
    return `admin of ${org.slug}`;
  }

  @RequireOrgPermission('posts:read')
  @Query(() => Boolean)
  canReadPosts(): boolean {
    return true;
  }

  @RequireStaff()
  @Query(() => Boolean)
  staffOnly(): boolean {
    return true;
  }

  @RequireSuperuser()
  @Query(() => Boolean)
  superuserOnly(): boolean {
    return true;
  }

  @Mutation(() => String)
  echo(@Args('text', { type: () => String }) text: string, @CurrentUser('clerkId') clerkId: string): string {
    return `${clerkId}: ${text}`;
  }

  @Subscription(() => Tick, { resolve: (tick: Tick) => tick })
  async *ticks(@CurrentUser() user: AbstractClerkUser): AsyncGenerator<Tick> {
    for (let n = 1; n <= 2; n++) yield { n, clerkId: user.clerkId! };
  }

  @RequireOrgRole('admin')
  @Subscription(() => Tick, { resolve: (tick: Tick) => tick })
  async *adminTicks(@CurrentUser() user: AbstractClerkUser): AsyncGenerator<Tick> {
    yield { n: 1, clerkId: user.clerkId! };
  }
}

/** The local organization entity (`OrganizationsModule`) as GraphQL sees it. */
@ObjectType()
export class LocalOrg {
  @Field(() => String)
  clerkId: string;

  @Field(() => String, { nullable: true })
  slug: string | null;

  @Field(() => String)
  name: string;
}

/** `@CurrentOrg({ entity: true })` in a resolver; needs `OrganizationsModule` in the app. */
@Resolver()
export class OrgEntityResolver {
  @Query(() => LocalOrg, { nullable: true })
  localOrg(@CurrentOrg({ entity: true }) organization: AbstractClerkOrganization | null): LocalOrg | null {
    return organization && { clerkId: organization.clerkId, slug: organization.slug, name: organization.name };
  }
}

/**
 * GraphQL (Apollo, code-first, in-memory schema) with graphql-ws subscriptions. `authenticateOnConnect`:
 * the connection itself needs a valid token (`ClerkWsAuth.authenticateGraphqlConnection`);
 * otherwise anyone connects and the guard authenticates each operation from `connectionParams`.
 */
export function graphqlModule(options: { authenticateOnConnect: boolean }) {
  return GraphQLModule.forRootAsync<ApolloDriverConfig>({
    driver: ApolloDriver,
    inject: [ClerkWsAuth],
    useFactory: (clerkWs: ClerkWsAuth): ApolloDriverConfig => ({
      autoSchemaFile: true,
      graphiql: false,
      subscriptions: {
        'graphql-ws': options.authenticateOnConnect ? { onConnect: (context) => clerkWs.authenticateGraphqlConnection(context) } : {},
      },
    }),
  });
}
