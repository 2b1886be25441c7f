import { Body, Controller, Get, Header, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Req, type Type } from '@nestjs/common';
import type { ClerkAuthenticatedRequest } from '../auth/clerk-request.interface.js';
import type { ResolvedClerkConsoleOptions } from './clerk-console-options.js';
import { guardConsoleController } from './console-access.js';
import { consoleActor } from './console-actor.js';
import { parseDate, parseFlag, parseLimit, parseText, type ConsolePage } from './console-list-params.js';
import { ConsoleUserListQuery, type ConsoleUserSummary } from './console-user-list.query.js';
import { ConsoleUserDetailQuery, type ConsoleUserDetail } from './console-user-detail.query.js';
import { ConsoleUserFlags } from './console-user-flags.service.js';
import { parseFlagChanges } from './console-user-flags.js';
import { ConsoleUserActions, type ConsoleActionResult, type ConsoleSignInLink } from './console-user-actions.service.js';

const uuid = new ParseUUIDPipe({ version: undefined });

/** `<path>/api/users`: list, detail, local flags, Clerk actions. */
export function createConsoleUsersController(options: ResolvedClerkConsoleOptions): Type {
  @Controller(`${options.apiPath}/users`)
  class ClerkConsoleUsersController {
    constructor(
      readonly listQuery: ConsoleUserListQuery,
      readonly detailQuery: ConsoleUserDetailQuery,
      readonly flags: ConsoleUserFlags,
      readonly actions: ConsoleUserActions,
    ) {}

    @Get()
    list(@Query() query: Record<string, unknown>): Promise<ConsolePage<ConsoleUserSummary>> {
      return this.listQuery.list({
        search: parseText('search', query.search),
        active: parseFlag('active', query.active),
        staff: parseFlag('staff', query.staff),
        superuser: parseFlag('superuser', query.superuser),
        hasClerkId: parseFlag('hasClerkId', query.hasClerkId),
        createdFrom: parseDate('createdFrom', query.createdFrom),
        createdTo: parseDate('createdTo', query.createdTo),
        cursor: parseText('cursor', query.cursor, 512),
        limit: parseLimit(query.limit),
      });
    }

    @Get(':id')
    detail(@Param('id', uuid) id: string): Promise<ConsoleUserDetail> {
      return this.detailQuery.find(id);
    }

    @Patch(':id')
    async update(@Param('id', uuid) id: string, @Body() body: unknown, @Req() request: ClerkAuthenticatedRequest): Promise<ConsoleUserDetail> {
      await this.flags.update(consoleActor(request), id, parseFlagChanges(body));
      return this.detailQuery.find(id);
    }

    @Post(':id/resync')
    @HttpCode(200)
    resync(@Param('id', uuid) id: string, @Req() request: ClerkAuthenticatedRequest): Promise<ConsoleActionResult> {
      return this.actions.resync(consoleActor(request), id);
    }

    @Post(':id/revoke-sessions')
    @HttpCode(200)
    revokeSessions(@Param('id', uuid) id: string, @Req() request: ClerkAuthenticatedRequest): Promise<ConsoleActionResult> {
      return this.actions.revokeSessions(consoleActor(request), id);
    }

    @Post(':id/ban')
    @HttpCode(200)
    ban(@Param('id', uuid) id: string, @Req() request: ClerkAuthenticatedRequest): Promise<ConsoleActionResult> {
      return this.actions.setBanned(consoleActor(request), id, true);
    }

    @Post(':id/unban')
    @HttpCode(200)
    unban(@Param('id', uuid) id: string, @Req() request: ClerkAuthenticatedRequest): Promise<ConsoleActionResult> {
      return this.actions.setBanned(consoleActor(request), id, false);
    }

    @Post(':id/sign-in-link')
    @HttpCode(200)
    @Header('Cache-Control', 'no-store')
    signInLink(@Param('id', uuid) id: string, @Body() body: unknown, @Req() request: ClerkAuthenticatedRequest): Promise<ConsoleSignInLink> {
      return this.actions.signInLink(consoleActor(request), id, body ?? {});
    }
  }
  guardConsoleController(ClerkConsoleUsersController, options.access);
  return ClerkConsoleUsersController;
}
