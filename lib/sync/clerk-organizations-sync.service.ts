import { Inject, Injectable } from '@nestjs/common';
import type { ClerkClient } from '@clerk/backend';
import { CLERK_CLIENT, CLERK_RESOLVED_OPTIONS } from '../clerk-users.constants.js';
import type { ResolvedClerkUsersOptions } from '../options/clerk-users-options.interface.js';
import { OrganizationsService } from '../organizations/organizations.service.js';
import type { ClerkOrganizationJson, ClerkOrganizationMembershipJson } from '../organizations/clerk-organization-json.interface.js';
import { mapClerkMembership, mapClerkOrganization } from '../organizations/organization.mapper.js';
import { sameValue } from '../common/same-value.js';
import type { RetryPolicy } from './clerk-api-retry.js';
import { callClerkApi, isFatalClerkApiFailure } from './clerk-api-failure.js';
import { runPaged } from './paged-runner.js';
import { emptySummary, silentReporter, SyncUsageError, type SyncReporter, type SyncSummary } from './sync-report.js';
import { validatePaging } from './clerk-users-sync.service.js';
import { recordSyncProgress } from '../metrics/clerk-metrics.js';

/** Options of an organization sync (the `sync-clerk-organizations` flags). */
export interface OrganizationSyncOptions {
  all?: boolean;
  limit?: number;
  offset?: number;
  syncMembers?: boolean;
  dryRun?: boolean;
  deactivateMissing?: boolean;
  retry?: RetryPolicy;
  reporter?: SyncReporter;
}

export interface OrganizationSyncSummary {
  organizations: SyncSummary;
  members: SyncSummary;
}

/**
 * Pages through Clerk's organizations (and, optionally, each one's memberships) into the local
 * tables. Provided by `OrganizationsModule`. Each write is one `OrganizationsService` call in its own
 * transaction, whose cache invalidations (in the shared cache when one is configured) are repeated
 * after the commit.
 */
@Injectable()
export class ClerkOrganizationsSync {
  constructor(
    @Inject(CLERK_CLIENT) private readonly clerk: ClerkClient,
    @Inject(CLERK_RESOLVED_OPTIONS) private readonly options: ResolvedClerkUsersOptions,
    private readonly organizations: OrganizationsService,
  ) {}

  async run(options: OrganizationSyncOptions = {}): Promise<OrganizationSyncSummary> {
    if (!this.options.secretKey) throw new SyncUsageError('CLERK_SECRET_KEY (option "secretKey") is not set: the sync reads the Clerk Backend API');
    const paging = validatePaging({ ...options, concurrency: 1 });
    if (options.deactivateMissing && !(options.all && paging.offset === 0)) {
      throw new SyncUsageError('--deactivate-missing needs --all from offset 0: only a complete listing shows what Clerk no longer has');
    }
    const reporter = options.reporter ?? silentReporter;
    const dryRun = options.dryRun ?? false;
    const summary: OrganizationSyncSummary = { organizations: emptySummary(), members: emptySummary() };
    const seen = new Set<string>();
    let membersComplete = true;

    const complete = await runPaged<ClerkOrganizationJson>({
      ...paging,
      all: options.all ?? false,
      fetch: (limit, offset) =>
        callClerkApi(() => this.clerk.organizations.getOrganizationList({ limit, offset, orderBy: '+created_at' }), options.retry, this.options.apiUrl).then((page) => ({
          items: page.data.map((org) => org.raw as unknown as ClerkOrganizationJson),
          total: page.totalCount,
        })),
      handle: async (items) => {
        recordSyncProgress('organizations', items.length);
        for (const json of items) {
          summary.organizations.total++;
          seen.add(json.id);
          try {
            await this.syncOrganization(json, dryRun, summary.organizations, reporter);
            if (options.syncMembers && !(await this.syncMembers(json, options, summary.members, reporter))) membersComplete = false;
          } catch (error) {
            if (isFatalClerkApiFailure(error)) throw error;
            summary.organizations.failed++;
            reporter.line(`failed: ${json?.id ?? '?'}: ${(error as Error).message}`);
          }
        }
      },
      onPageFailed: (offset, error) => reporter.line(`page at offset ${offset} failed: ${(error as Error).message}`),
      isFatal: isFatalClerkApiFailure,
      reporter,
    });
    if (!complete) summary.organizations.failed++;
    if (!membersComplete) summary.members.failed++;
    if (options.deactivateMissing) {
      if (complete) summary.organizations.deactivated = await this.deactivateMissing(seen, dryRun, reporter);
      else reporter.line('not deactivating any organization: the listing was incomplete');
    }
    return summary;
  }

  private async syncOrganization(json: ClerkOrganizationJson, dryRun: boolean, summary: SyncSummary, reporter: SyncReporter): Promise<void> {
    const existing = await this.organizations.findByClerkId(json.id);
    const mapped = mapClerkOrganization(json) as Record<string, unknown>;
    const changed = existing ? Object.keys(mapped).filter((key) => !sameValue((existing as unknown as Record<string, unknown>)[key], mapped[key])) : [];
    if (existing && (!changed.length || existing.clerkDeletedAt)) {
      summary.unchanged++;
      return;
    }
    if (dryRun) {
      reporter.line(existing ? `would update organization ${json.id} (${changed.join(', ')})` : `would create organization ${json.id} ${json.name ?? ''}`.trim());
      summary[existing ? 'updated' : 'created']++;
      return;
    }
    const { outcome } = await this.organizations.upsertFromClerkOrganization(json);
    summary[outcome === 'created' ? 'created' : outcome === 'updated' ? 'updated' : 'unchanged']++;
  }

  /** Every membership of one org; users not yet local are created from `public_user_data` (no GET per user). */
  private async syncMembers(org: ClerkOrganizationJson, options: OrganizationSyncOptions, summary: SyncSummary, reporter: SyncReporter): Promise<boolean> {
    const seen = new Set<string>();
    const dryRun = options.dryRun ?? false;
    const complete = await runPaged<ClerkOrganizationMembershipJson>({
      limit: 500,
      offset: 0,
      concurrency: 1,
      all: true,
      fetch: (limit, offset) =>
        callClerkApi(() => this.clerk.organizations.getOrganizationMembershipList({ organizationId: org.id, limit, offset }), options.retry, this.options.apiUrl).then((page) => ({
          items: page.data.map((m) => m.raw as unknown as ClerkOrganizationMembershipJson),
          total: page.totalCount,
        })),
      handle: async (items) => {
        for (const json of items) {
          summary.total++;
          try {
            const mapped = mapClerkMembership(json);
            seen.add(mapped.clerkMembershipId);
            const existing = await this.organizations.memberships.findOne({ where: { clerkMembershipId: mapped.clerkMembershipId } });
            const changed = existing ? (['role', 'permissions', 'publicMetadata', 'privateMetadata'] as const).filter((key) => !sameValue(existing[key], mapped[key])) : [];
            if (existing && !existing.clerkDeletedAt && !changed.length) {
              summary.unchanged++;
            } else if (dryRun) {
              reporter.line(existing ? `would update member ${mapped.clerkUserId} of ${org.id} (${changed.join(', ')})` : `would add member ${mapped.clerkUserId} to ${org.id} as ${mapped.role}`);
              summary[existing ? 'updated' : 'created']++;
            } else {
              const { outcome } = await this.organizations.upsertMembershipFromClerk(json);
              summary[outcome === 'created' ? 'created' : outcome === 'updated' ? 'updated' : 'unchanged']++;
            }
          } catch (error) {
            summary.failed++;
            reporter.line(`failed: member ${json?.id ?? '?'} of ${org.id}: ${(error as Error).message}`);
          }
        }
      },
      onPageFailed: (offset, error) => reporter.line(`members of ${org.id} at offset ${offset} failed: ${(error as Error).message}`),
      isFatal: isFatalClerkApiFailure,
      reporter: silentReporter,
    });
    if (complete && options.deactivateMissing) {
      const stale = (await this.organizations.membersOf(org.id)).filter((m) => !seen.has(m.clerkMembershipId));
      for (const membership of stale) {
        reporter.line(`${dryRun ? 'would remove' : 'removed'} member ${membership.clerkUserId} of ${org.id} (not in Clerk)`);
        summary.deactivated++;
        if (!dryRun) {
          const removed = {
            id: membership.clerkMembershipId,
            organization: { id: org.id },
            public_user_data: { user_id: membership.clerkUserId },
            role: membership.role,
          } as ClerkOrganizationMembershipJson;
          await this.organizations.deleteMembershipFromClerk(removed);
        }
      }
    }
    return complete;
  }

  private async deactivateMissing(seen: Set<string>, dryRun: boolean, reporter: SyncReporter): Promise<number> {
    const local = await this.organizations.organizations.createQueryBuilder('o').select(['o.clerkId']).where('o.isActive = true').getMany();
    const missing = local.map((o) => o.clerkId).filter((id) => !seen.has(id));
    for (const clerkId of missing) {
      reporter.line(`${dryRun ? 'would deactivate' : 'deactivated'} organization ${clerkId} (not in Clerk)`);
      if (!dryRun) await this.organizations.deleteOrganization(clerkId);
    }
    return missing.length;
  }
}
