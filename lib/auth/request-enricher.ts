import { DiscoveryService } from '@nestjs/core';
import type { AbstractClerkUser } from '../users/abstract-clerk-user.entity.js';
import type { ClerkRequestAuth } from './clerk-auth.interface.js';
import type { ClerkAuthenticatedRequest } from './clerk-request.interface.js';

/** Fields an enricher adds to the request; the pipeline writes them together with `user`, `auth` and `org`. */
export type ClerkRequestFields = Record<string, unknown>;

/**
 * The last step of the request pipeline, after the user is resolved and found active, for Clerk
 * sessions (not machine callers, not password logins): returns extra request fields (as
 * `OrganizationsModule` adds `organization` and `organizationMembership`). It must not write the
 * request itself. Mark the provider with `@ClerkEnricher()`; any module's providers are found.
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
