// Type-level use of both entry points under `module: nodenext` (CommonJS flavour).
import { Controller, Get } from '@nestjs/common';
import { Entity, Column } from 'typeorm';
import { AbstractClerkUser, ClerkUsersModule, CurrentOrg, CurrentUser, RequireOrgRole, type ClerkOrgContext } from 'nestjs-clerk-users';
import { ClerkTestKit } from 'nestjs-clerk-users/testing';

@Entity('members')
export class Member extends AbstractClerkUser {
  @Column({ default: 0 }) karma!: number;
}

@Controller()
export class TypedController {
  @RequireOrgRole('admin')
  @Get('me')
  me(@CurrentUser() user: Member, @CurrentOrg() org: ClerkOrgContext | null): string {
    return `${user.fullName} ${org?.role ?? ''}`;
  }
}

export const dynamicModule = ClerkUsersModule.forRoot({ jwtKey: 'pem', userEntity: Member, authorizedParties: ['https://app.example'] });
export const kitPromise: Promise<ClerkTestKit> = ClerkTestKit.create();

