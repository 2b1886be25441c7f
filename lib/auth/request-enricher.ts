import { DiscoveryService } from '@nestjs/core';
import type { AbstractClerkUser } from '../users/abstract-clerk-user.entity.js';
import type { ClerkRequestAuth } from './clerk-auth.interface.js';
import type { ClerkAuthenticatedRequest } from './clerk-request.interface.js';

/**
 * Fields an enricher adds to the request; the pipeline writes them together with `user`, `auth` and
 * `org`. One field is special: `auth` narrows `request.auth` to another organization (see
 * {@link ClerkRequestEnricher}).
 */
export interface ClerkRequestFields {
  /**
   * The `auth` the enricher received with other org fields (`orgId`, `orgSlug`, `orgRole`,
   * `orgPermissions`; build it with `narrowAuthToOrganization`): it becomes `request.auth`, and
   * `request.org` follows it, so the route's checks and the handler see one organization. Any
   * other difference from the received `auth` is a programming error (the request fails with 500).
   */
  auth?: ClerkRequestAuth;
  [field: string]: unknown;
}

/**
 * The last step of the request pipeline, after the user is resolved and found active, for Clerk
 * sessions (not machine callers, not password logins): returns extra request fields (as
 * `OrganizationsModule` adds `organization` and `organizationMembership`). It must not write the
 * request itself, nor change the `auth` it receives (one verified object serves every request of a
 * token); to change the request's organization it returns a narrowed `auth` (see
 * {@link ClerkRequestFields.auth}), which the enrichers after it receive. Mark the provider with
 * `@ClerkEnricher()`; any module's providers are found.
 */
export interface ClerkRequestEnricher<T extends AbstractClerkUser = AbstractClerkUser> {
  enrich(request: Readonly<ClerkAuthenticatedRequest<T>>, user: T, auth: ClerkRequestAuth): Promise<ClerkRequestFields | void> | ClerkRequestFields | void;
}

/** Marks a provider implementing `ClerkRequestEnricher` (found with Nest's `DiscoveryService`). */
export const ClerkEnricher = DiscoveryService.createDecorator<true>();

/** The instances of every `@ClerkEnricher()` provider, in registration order. */
export function discoverEnrichers(discovery: DiscoveryService): ClerkRequestEnricher[] {
  return discovery
    .getProviders({ metadataKey: ClerkEnricher.KEY })
    .map((wrapper) => wrapper.instance as ClerkRequestEnricher | undefined)
    .filter((instance): instance is ClerkRequestEnricher => typeof instance?.enrich === 'function');
}
