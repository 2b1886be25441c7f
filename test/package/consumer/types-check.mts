// Type-level use of both entry points under `module: nodenext` (ESM flavour).
import { Controller, Get } from '@nestjs/common';
import { Check, Entity, Column } from 'typeorm';
import { AbstractClerkUser, ClerkUsersModule, clerkOptionsFromEnv, CurrentOrg, CurrentUser, RequireOrgRole, type ClerkOrgContext } from 'nestjs-clerk-users';
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


// The README's "Your own entity" example, verbatim: it must compile under strict settings.
@Entity('users')
@Check('CHK_users_email_lower', '"email" = lower("email")') // as ClerkUser: emails stored lower-case
export class AppUser extends AbstractClerkUser {
  @Column({ default: 'free' })
  plan!: string;

  @Column({ type: 'varchar', nullable: true })
  legacyLogin!: string | null;

  // A row that still signs in the old way must never be taken over by a Clerk sign-in.
  // (`passwordHash` is already on the base, `select: false`; the base refuses to link rows that have one.)
  override canBeLinkedToClerk(): boolean {
    return super.canBeLinkedToClerk() && !this.legacyLogin;
  }
}
export const withAppUser = ClerkUsersModule.forRoot({ ...clerkOptionsFromEnv(), userEntity: AppUser });
