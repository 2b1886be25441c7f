import { ClerkInvitationAcceptedBy1764000000004 } from 'nestjs-clerk-users';

/**
 * The library's invitation columns for the accepting user (its migration 1764000000004), run after
 * the sample's own schema: the same statements under the sample's timestamp.
 */
export class InvitationAcceptedBy1764100000001 extends ClerkInvitationAcceptedBy1764000000004 {
  override name = 'InvitationAcceptedBy1764100000001';
}
