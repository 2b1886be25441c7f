import { Entity } from 'typeorm';
import { AbstractClerkUser } from './abstract-clerk-user.entity';

/** Default user entity, table `clerk_users`. */
@Entity('clerk_users')
export class ClerkUser extends AbstractClerkUser {}
