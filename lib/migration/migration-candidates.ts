import type { Repository, SelectQueryBuilder } from 'typeorm';
import type { AbstractClerkUser } from '../users/abstract-clerk-user.entity.js';

/** A local row to move into Clerk, with its password hash (never selected by default). */
export type MigrationCandidate = Pick<AbstractClerkUser, 'id' | 'email' | 'username' | 'firstName' | 'lastName' | 'publicMetadata' | 'isStaff' | 'isSuperuser'> & {
  passwordHash?: string | null;
};

/**
 * Rows without a Clerk identity that the migration takes: active, with an email, never deleted in
 * Clerk; staff and superuser accounts that sign in with a local password only with `includeStaff`
 * (once linked, their password login stops: it is for accounts without a Clerk identity).
 */
export function candidatesQuery(repository: Repository<AbstractClerkUser>, includeStaff: boolean): SelectQueryBuilder<AbstractClerkUser> {
  const query = repository
    .createQueryBuilder('u')
    .where('u.clerkId IS NULL')
    .andWhere('u.isActive = true')
    .andWhere('u.email IS NOT NULL')
    .andWhere('u.clerkDeletedAt IS NULL');
  return includeStaff ? query : query.andWhere('NOT ((u.isStaff = true OR u.isSuperuser = true) AND u.passwordHash IS NOT NULL)');
}

/** The next `size` candidates after `afterId`, in primary key order: rows linked meanwhile drop out, the order stays. */
export async function nextCandidates(repository: Repository<AbstractClerkUser>, includeStaff: boolean, afterId: string | null, size: number): Promise<MigrationCandidate[]> {
  const query = candidatesQuery(repository, includeStaff)
    .select(['u.id', 'u.email', 'u.username', 'u.firstName', 'u.lastName', 'u.publicMetadata', 'u.isStaff', 'u.isSuperuser'])
    .addSelect('u.passwordHash')
    .orderBy('u.id', 'ASC')
    .take(size);
  if (afterId !== null) query.andWhere('u.id > :afterId', { afterId });
  return query.getMany();
}
