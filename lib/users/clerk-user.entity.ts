import { Check, Entity } from 'typeorm';
import { AbstractClerkUser } from './abstract-clerk-user.entity.js';

/** Default user entity, table `clerk_users`. Emails are lower-case, so their uniqueness is case-insensitive. */
@Entity('clerk_users')
@Check('CHK_clerk_users_email_lower', '"email" = lower("email")')
export class ClerkUser extends AbstractClerkUser {}
