import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ClerkWebhookHandlers } from '../webhooks/clerk-webhook-handlers.service.js';
import type { ClerkWebhookContext, ClerkWebhookEvent } from '../webhooks/clerk-webhook-event.types.js';
import { BUILT_IN_PRIORITY } from '../webhooks/webhook.constants.js';
import type { ClerkInvitationStatus } from './abstract-clerk-organization-invitation.entity.js';
import type { ClerkOrganizationInvitationJson, ClerkOrganizationJson, ClerkOrganizationMembershipJson } from './clerk-organization-json.interface.js';
import { OrganizationsService } from './organizations.service.js';
import { requireDataId } from '../common/invalid-clerk-payload.error.js';

const INVITATION_STATUS: Record<string, ClerkInvitationStatus | undefined> = {
  'organizationInvitation.created': undefined,
  'organizationInvitation.accepted': 'accepted',
  'organizationInvitation.revoked': 'revoked',
  'organizationInvitation.expired': 'expired',
};

/** Built-in organization handlers: from the payload, ordering-guarded, inside the event's transaction. */
@Injectable()
export class OrganizationWebhookHandlers implements OnModuleInit {
  constructor(
    private readonly handlers: ClerkWebhookHandlers,
    private readonly organizations: OrganizationsService,
  ) {}

  onModuleInit(): void {
    const builtIn = { priority: BUILT_IN_PRIORITY };
    const data = <T>(event: ClerkWebhookEvent) => event.data as unknown as T;
    this.handlers.register(
      ['organization.created', 'organization.updated'],
      (event, { manager }: ClerkWebhookContext) => this.organizations.upsertFromClerkOrganization(data<ClerkOrganizationJson>(event), manager),
      builtIn,
      'built-in organization upsert',
    );
    this.handlers.register('organization.deleted', (event, { manager }) => this.organizations.deleteOrganization(requireDataId(event), manager), builtIn, 'built-in organization deletion');
    this.handlers.register(
      ['organizationMembership.created', 'organizationMembership.updated'],
      (event, { manager }) => this.organizations.upsertMembershipFromClerk(data<ClerkOrganizationMembershipJson>(event), manager),
      builtIn,
      'built-in membership upsert',
    );
    this.handlers.register(
      'organizationMembership.deleted',
      (event, { manager }) => this.organizations.deleteMembershipFromClerk(data<ClerkOrganizationMembershipJson>(event), manager),
      builtIn,
      'built-in membership deletion',
    );
    this.handlers.register(
      Object.keys(INVITATION_STATUS),
      (event, { manager }) => this.organizations.upsertInvitationFromClerk(data<ClerkOrganizationInvitationJson>(event), INVITATION_STATUS[event.type], manager),
      builtIn,
      'built-in invitation upsert',
    );
    this.handlers.register('user.deleted', (event, { manager }) => this.organizations.removeUserMemberships(requireDataId(event), manager), builtIn, 'built-in membership removal of a deleted user');
  }
}
