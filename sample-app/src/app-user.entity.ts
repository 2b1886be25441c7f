import { Column, Entity } from 'typeorm';
import { AbstractClerkUser } from 'nestjs-clerk-users';

/** The sample's own user table: everything Clerk-synced, plus one column of the app's. */
@Entity('app_users')
export class AppUser extends AbstractClerkUser {
  @Column({ type: 'varchar', length: 40, default: 'teal' })
  favoriteColor: string;
}
