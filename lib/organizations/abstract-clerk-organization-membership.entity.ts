import { Column, Index } from 'typeorm';
import { ClerkDeletableRow } from '../common/clerk-mirrored-row.entity.js';
import type { ClerkMetadata } from '../users/abstract-clerk-user.entity.js';

/**
 * Base of a membership entity. Organization and user are referenced by their local ids (foreign
 * keys in the migration), so any user entity works. A deleted membership stays as a tombstone
 * (`clerkDeletedAt`), so a late `created`/`updated` cannot bring it back.
 */
@Index(['organizationId', 'userId'], { unique: true, where: '"clerkDeletedAt" IS NULL' })
export abstract class AbstractClerkOrganizationMembership extends ClerkDeletableRow {
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 255 })
  clerkMembershipId: string;

  @Index()
  @Column({ type: 'uuid' })
  organizationId: string;

  @Index()
  @Column({ type: 'uuid' })
  userId: string;

  /** The Clerk ids, kept so caches and lookups need no join. */
  @Column({ type: 'varchar', length: 255 })
  clerkOrganizationId: string;

  @Index()
  @Column({ type: 'varchar', length: 255 })
  clerkUserId: string;

  /** Role with the `org:` prefix, e.g. `org:admin`. */
  @Column({ type: 'varchar', length: 255, default: 'org:member' })
  role: string;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  permissions: string[];

  @Column({ type: 'jsonb', default: () => "'{}'" })
  publicMetadata: ClerkMetadata;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  privateMetadata: ClerkMetadata;

  @Column({ type: 'timestamptz', nullable: true })
  joinedAt: Date | null;
}
