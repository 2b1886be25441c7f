import { Column, CreateDateColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** What every local copy of a Clerk object has: a local id, the ordering watermark, timestamps. */
export abstract class ClerkMirroredRow {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Clerk's `updated_at` this row was built from: older events and syncs never overwrite it. */
  @Column({ type: 'timestamptz', nullable: true })
  clerkUpdatedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

/** A mirrored row whose deletion in Clerk is final. */
export abstract class ClerkDeletableRow extends ClerkMirroredRow {
  /** When Clerk reported the object deleted: no later event or sync brings the row back. */
  @Column({ type: 'timestamptz', nullable: true })
  clerkDeletedAt: Date | null;
}
