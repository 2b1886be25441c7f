import { Controller, Get, Param, ParseUUIDPipe, Query, type Type } from '@nestjs/common';
import type { ResolvedClerkConsoleOptions } from './clerk-console-options.js';
import { guardConsoleController } from './console-access.js';
import { parseChoice, parseLimit, parseText, parseUuid, type ConsolePage } from './console-list-params.js';
import { ConsoleOrganizationsQuery, type ConsoleOrganizationDetail, type ConsoleOrganizationSummary } from './console-organizations.query.js';
import { ConsoleWebhookEventsQuery, type ConsoleWebhookEventsPage } from './console-webhook-events.query.js';
import { ConsoleAudit } from './console-audit.service.js';
import type { ClerkConsoleAuditRecord } from './clerk-console-audit-record.entity.js';

const uuid = new ParseUUIDPipe({ version: undefined });

/** `<path>/api/organizations`, `<path>/api/webhook-events`, `<path>/api/audit`: read-only lists. */
export function createConsoleRecordsController(options: ResolvedClerkConsoleOptions): Type {
  @Controller(options.apiPath)
  class ClerkConsoleRecordsController {
    constructor(
      readonly organizations: ConsoleOrganizationsQuery,
      readonly webhookEvents: ConsoleWebhookEventsQuery,
      readonly audit: ConsoleAudit,
    ) {}

    @Get('organizations')
    listOrganizations(@Query() query: Record<string, unknown>): Promise<ConsolePage<ConsoleOrganizationSummary>> {
      return this.organizations.list({ search: parseText('search', query.search), cursor: parseText('cursor', query.cursor, 512), limit: parseLimit(query.limit) });
    }

    @Get('organizations/:id')
    organization(@Param('id', uuid) id: string): Promise<ConsoleOrganizationDetail> {
      return this.organizations.find(id);
    }

    @Get('webhook-events')
    listWebhookEvents(@Query() query: Record<string, unknown>): Promise<ConsoleWebhookEventsPage> {
      return this.webhookEvents.list({
        outcome: parseChoice('outcome', query.outcome, ['failed', 'processed'] as const),
        type: parseText('type', query.type, 255),
        cursor: parseText('cursor', query.cursor, 512),
        limit: parseLimit(query.limit),
      });
    }

    @Get('audit')
    listAudit(@Query() query: Record<string, unknown>): Promise<ConsolePage<ClerkConsoleAuditRecord>> {
      return this.audit.list({ userId: parseUuid('userId', query.userId), cursor: parseText('cursor', query.cursor, 512), limit: parseLimit(query.limit) });
    }
  }
  guardConsoleController(ClerkConsoleRecordsController, options.access);
  return ClerkConsoleRecordsController;
}

