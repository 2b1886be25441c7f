import { ClerkConsole1764000000017 } from 'nestjs-clerk-users/console';

/**
 * The staff console's migration, run after the sample's own schema: TypeORM orders migrations by the
 * timestamp at the end of their name, and the console indexes the sample's user table (AppUser).
 */
export class SampleConsole1764100000002 extends ClerkConsole1764000000017 {
  override name = 'SampleConsole1764100000002';
}
