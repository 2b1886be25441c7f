import { Column, Index } from 'typeorm';
import { ClerkDeletableRow } from '../common/clerk-mirrored-row.entity.js';
import type { ClerkMetadata } from '../users/abstract-clerk-user.entity.js';

/** Base of an organization entity; extend it with `@Entity()` to add columns. */
export abstract class AbstractClerkOrganization extends ClerkDeletableRow {
  /** Clerk organization id (`org_…`). */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 255 })
  clerkId: string;

  @Column({ type: 'varchar', length: 255, default: '' })
  name: string;

  @Index({ unique: true })
  @Column({ type: 'varchar', length: 255, nullable: true })
  slug: string | null;

  @Column({ type: 'varchar', length: 1000, default: '' })
  imageUrl: string;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  publicMetadata: ClerkMetadata;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  privateMetadata: ClerkMetadata;

  @Column({ type: 'boolean', default: true })
  isActive: boolean;

  @Column({ type: 'integer', default: 0 })
  membersCount: number;

  @Column({ type: 'integer', default: 0 })
  pendingInvitationsCount: number;

  @Column({ type: 'integer', nullable: true })
  maxAllowedMemberships: number | null;
}
