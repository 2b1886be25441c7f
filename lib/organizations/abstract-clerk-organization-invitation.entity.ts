import { Column, CreateDateColumn, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** Invitation states Clerk reports. */
export type ClerkInvitationStatus = 'pending' | 'accepted' | 'revoked' | 'expired';

/** Base of an invitation entity. */
export abstract class AbstractClerkOrganizationInvitation {
  @PrimaryGeneratedColumn('uuid')
  id: string;

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

  @Column({ type: 'timestamptz', nullable: true })
  clerkUpdatedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
