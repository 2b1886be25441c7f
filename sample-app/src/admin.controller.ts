import { Controller, Get, Req } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { CurrentUser, RequireStaff, type ClerkAuthenticatedRequest } from 'nestjs-clerk-users';
import { AppUser } from './app-user.entity.js';

/** Staff pages: a Clerk user whose local row is staff (Grace in the emulator) or a staff password login. */
@Controller('admin')
export class AdminController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @RequireStaff() // 401 signed out, 403 signed in but not staff
  @Get('overview')
  async overview(@CurrentUser() user: AppUser, @Req() request: ClerkAuthenticatedRequest<AppUser>) {
    const users = this.dataSource.getRepository(AppUser);
    return {
      signedInWith: request.auth?.method, // 'clerk' (a Clerk session) or 'local' (the password login)
      email: user.email,
      users: await users.count({ where: { isActive: true } }),
      staff: await users.count({ where: { isActive: true, isStaff: true } }),
    };
  }
}
