import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A change made in the staff console: who, what, to whom, the values before and after, when. */
@Entity('clerk_console_audit')
export class ClerkConsoleAuditRecord {
  /** Increasing: the console lists the newest first by it. */
  @PrimaryGeneratedColumn({ type: 'bigint', primaryKeyConstraintName: 'PK_clerk_console_audit' })
  id: string;

  @CreateDateColumn({ name: 'at', type: 'timestamptz' })
  at: Date;

  /** Local id of the staff member who acted. */
  @Column({ name: 'actor_user_id', type: 'uuid', nullable: true })
  actorUserId: string | null;

  /** How the actor was known then (email, username or Clerk id), kept if the row changes later. */
  @Column({ type: 'varchar', length: 400 })
  actor: string;

  /** `update`, `resync`, `revoke-sessions`, `ban`, `unban`, `sign-in-link`. */
  @Column({ type: 'varchar', length: 40 })
  action: string;

  @Index('IDX_clerk_console_audit_target')
  @Column({ name: 'target_user_id', type: 'uuid', nullable: true })
  targetUserId: string | null;

  /** How the target was known then. */
  @Column({ type: 'varchar', length: 400, nullable: true })
  target: string | null;

  @Column({ type: 'jsonb', nullable: true })
  before: Record<string, unknown> | null;

  @Column({ type: 'jsonb', nullable: true })
  after: Record<string, unknown> | null;
}
