import { Column, Index } from 'typeorm';
import { ClerkMirroredRow } from '../common/clerk-mirrored-row.entity.js';

/** Invitation states Clerk reports. */
export type ClerkInvitationStatus = 'pending' | 'accepted' | 'revoked' | 'expired';

/** Base of an invitation entity. */
export abstract class AbstractClerkOrganizationInvitation extends ClerkMirroredRow {
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 255 })
  clerkInvitationId: string;

  @Index()
  @Column({ type: 'uuid' })
  organizationId: string;

  @Column({ type: 'varchar', length: 320 })
  emailAddress: string;

  @Column({ type: 'varchar', length: 255, default: 'org:member' })
  role: string;

  @Column({ type: 'varchar', length: 20, default: 'pending' })
  status: ClerkInvitationStatus;

  /** Local id of the inviting user, when known. */
  @Column({ type: 'uuid', nullable: true })
  inviterUserId: string | null;

  /** Clerk id of the user who accepted it (`user_id` of `organizationInvitation.accepted`). */
  @Column({ type: 'varchar', length: 255, nullable: true })
  acceptedClerkUserId: string | null;

  /** Local id of the user who accepted it (no database FK, like memberships). */
  @Column({ type: 'uuid', nullable: true })
  acceptedUserId: string | null;
}
