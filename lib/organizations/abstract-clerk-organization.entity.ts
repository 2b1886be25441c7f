import { Column, CreateDateColumn, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { ClerkMetadata } from '../users/abstract-clerk-user.entity';

/** Base of an organization entity; extend it with `@Entity()` to add columns. */
export abstract class AbstractClerkOrganization {
  @PrimaryGeneratedColumn('uuid')
  id: string;

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

  /** Clerk's `updated_at` this row was built from (ordering watermark). */
  @Column({ type: 'timestamptz', nullable: true })
  clerkUpdatedAt: Date | null;

  /** Set by `organization.deleted`: final. */
  @Column({ type: 'timestamptz', nullable: true })
  clerkDeletedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
