import { BeforeInsert, BeforeUpdate, Column, Index } from 'typeorm';
import { ClerkDeletableRow } from '../common/clerk-mirrored-row.entity.js';

/** JSON object as stored in `publicMetadata`. */
export type ClerkMetadata = Record<string, unknown>;

/**
 * Base of every Clerk-backed user entity. Extend it with `@Entity()` and your own columns;
 * pass the subclass as `userEntity`.
 */
export abstract class AbstractClerkUser extends ClerkDeletableRow {
  /** Clerk user id (`user_…`); `null` for staff accounts that never sign in through Clerk. */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 255, nullable: true })
  clerkId: string | null;

  /** Primary email, stored lower-cased so uniqueness is case-insensitive. */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 320, nullable: true })
  email: string | null;

  @Index({ unique: true })
  @Column({ type: 'varchar', length: 150, nullable: true })
  username: string | null;

  @Column({ type: 'varchar', length: 255, default: '' })
  firstName: string;

  @Column({ type: 'varchar', length: 255, default: '' })
  lastName: string;

  @Column({ type: 'varchar', length: 1000, default: '' })
  imageUrl: string;

  @Index()
  @Column({ type: 'boolean', default: true })
  isActive: boolean;

  @Column({ type: 'boolean', default: false })
  isStaff: boolean;

  @Column({ type: 'boolean', default: false })
  isSuperuser: boolean;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  publicMetadata: ClerkMetadata;

  /** scrypt hash for staff accounts that sign in without Clerk (`create-superuser`); never set for Clerk users. */
  @Column({ type: 'varchar', length: 255, nullable: true, select: false })
  passwordHash?: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastLogin: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastLogout: Date | null;

  get fullName(): string {
    return `${this.firstName ?? ''} ${this.lastName ?? ''}`.trim();
  }

  /**
   * Whether a new Clerk identity may take over this row on a verified email match.
   * Subclasses with their own credentials (a password column) must return `false` when one is set.
   */
  canBeLinkedToClerk(): boolean {
    return !this.clerkId && !this.isStaff && !this.isSuperuser && !this.passwordHash;
  }

  @BeforeInsert()
  @BeforeUpdate()
  protected normaliseEmail(): void {
    if (typeof this.email === 'string') this.email = this.email.trim().toLowerCase() || null;
  }
}

/** A concrete entity class extending `AbstractClerkUser`. */
export type ClerkUserEntityClass<T extends AbstractClerkUser = AbstractClerkUser> = new () => T;
