import { Body, Catch, Controller, Delete, Get, HttpCode, Param, Patch, Post, UseFilters, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import type { User } from '@clerk/backend';
import {
  AbstractClerkUser,
  ClerkAccountsService,
  ClerkApiError,
  ClerkUsersService,
  ClerkUserNotLinkedError,
  Public,
  type ClerkAccountTarget,
  type ClerkMetadataUpdate,
  type ClerkUserProfileUpdate,
  type CreateClerkUserInput,
  type InviteToOrganizationOptions,
  type InviteUserOptions,
  type ProvisionAccessLinkOptions,
  type SignInLinkOptions,
} from '../../lib/index.js';

/** Answers what the service throws as an app would: Clerk's refusal as 502 with its details, a caller mistake as 400/409. */
@Catch(ClerkApiError, ClerkUserNotLinkedError, TypeError, RangeError)
export class AccountsErrorFilter implements ExceptionFilter {
  catch(error: Error, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (error instanceof ClerkApiError) {
      response.status(502).json({ error: error.name, operation: error.operation, status: error.status, code: error.code, paramName: error.paramName ?? null, retryAfterSeconds: error.retryAfterSeconds ?? null });
    } else {
      response.status(error instanceof ClerkUserNotLinkedError ? 409 : 400).json({ error: error.name, message: error.message });
    }
  }
}

const userView = (user: AbstractClerkUser) => ({ id: user.id, clerkId: user.clerkId, email: user.email, username: user.username, firstName: user.firstName, lastName: user.lastName, isActive: user.isActive, publicMetadata: user.publicMetadata });
const clerkView = (user: User) => ({ id: user.id, username: user.username, externalId: user.externalId, banned: user.banned, locked: user.locked, publicMetadata: user.publicMetadata, privateMetadata: user.privateMetadata, unsafeMetadata: user.unsafeMetadata });

/** The app side of the accounts specs: each route calls one `ClerkAccountsService` method. */
@Public()
@UseFilters(AccountsErrorFilter)
@Controller('accounts')
export class AccountsTestController {
  constructor(
    private readonly accounts: ClerkAccountsService,
    private readonly users: ClerkUsersService,
  ) {}

  /** `user_…` acts on the Clerk id; anything else is a local row id, acted on through the entity. */
  private async target(id: string): Promise<ClerkAccountTarget> {
    if (id.startsWith('user_')) return id;
    const row = await this.users.repository.findOneBy({ id });
    if (!row) throw new TypeError(`no local user ${id}`);
    return row;
  }

  @Post('users')
  async createUser(@Body() input: CreateClerkUserInput) {
    const { user, clerkUser, created } = await this.accounts.createUser(input);
    return { created, user: userView(user), clerkUser: clerkView(clerkUser) };
  }

  @Get('users/by-email/:email')
  async findByEmail(@Param('email') email: string) {
    const found = await this.accounts.findClerkUserByEmail(email);
    return { clerkUser: found ? clerkView(found) : null };
  }

  @Post('users/:id/sign-in-link')
  async signInLink(@Param('id') id: string, @Body() options: SignInLinkOptions) {
    const link = await this.accounts.createSignInLink(await this.target(id), options);
    return { ...link, expiresAt: link.expiresAt.toISOString() };
  }

  @Post('access-links')
  provision(@Body() body: { email: string; redirectUrl: string; options?: ProvisionAccessLinkOptions }) {
    return this.accounts.provisionAccessLink(body.email, body.redirectUrl, body.options);
  }

  @Post('invitations')
  async invite(@Body() body: { email: string } & InviteUserOptions): Promise<{ id: string; status: string; emailAddress: string }> {
    const { email, ...options } = body;
    const invitation = await this.accounts.inviteUser(email, options);
    return { id: invitation.id, status: invitation.status, emailAddress: invitation.emailAddress };
  }

  @Post('invitations/:id/revoke')
  @HttpCode(200)
  async revokeInvitation(@Param('id') id: string): Promise<{ id: string; status: string; revoked: boolean | undefined }> {
    const invitation = await this.accounts.revokeInvitation(id);
    return { id: invitation.id, status: invitation.status, revoked: invitation.revoked };
  }

  @Post('organizations/:orgId/invitations')
  async inviteToOrganization(@Param('orgId') orgId: string, @Body() body: { email: string; role: string } & InviteToOrganizationOptions): Promise<{ id: string; status: string | undefined; role: string; organizationId: string }> {
    const { email, role, ...options } = body;
    const invitation = await this.accounts.inviteToOrganization(orgId, email, role, options);
    return { id: invitation.id, status: invitation.status, role: invitation.role, organizationId: invitation.organizationId };
  }

  @Post('organizations/:orgId/invitations/:invitationId/revoke')
  @HttpCode(200)
  async revokeOrganizationInvitation(@Param('orgId') orgId: string, @Param('invitationId') invitationId: string): Promise<{ id: string; status: string | undefined }> {
    const invitation = await this.accounts.revokeOrganizationInvitation(orgId, invitationId);
    return { id: invitation.id, status: invitation.status };
  }

  @Post('users/:id/revoke-sessions')
  @HttpCode(200)
  async revokeSessions(@Param('id') id: string) {
    return { revoked: await this.accounts.revokeAllSessions(await this.target(id)) };
  }

  @Patch('users/:id/metadata')
  async metadata(@Param('id') id: string, @Body() update: ClerkMetadataUpdate) {
    const { user, clerkUser } = await this.accounts.updateMetadata(await this.target(id), update);
    return { user: userView(user), clerkUser: clerkView(clerkUser) };
  }

  @Patch('users/:id')
  async update(@Param('id') id: string, @Body() update: ClerkUserProfileUpdate) {
    const { user, clerkUser } = await this.accounts.updateUser(await this.target(id), update);
    return { user: userView(user), clerkUser: clerkView(clerkUser) };
  }

  @Post('users/:id/:action')
  @HttpCode(200)
  async moderate(@Param('id') id: string, @Param('action') action: string) {
    const target = await this.target(id);
    const run = { ban: () => this.accounts.ban(target), unban: () => this.accounts.unban(target), lock: () => this.accounts.lock(target), unlock: () => this.accounts.unlock(target) }[action];
    if (!run) throw new TypeError(`unknown action ${action}`);
    const { user, clerkUser } = await run();
    return { user: userView(user), clerkUser: clerkView(clerkUser) };
  }

  @Delete('users/:id')
  @HttpCode(204)
  async remove(@Param('id') id: string) {
    await this.accounts.deleteUser(await this.target(id));
  }
}
