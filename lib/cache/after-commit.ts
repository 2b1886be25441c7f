import type { EntityManager } from 'typeorm';

type Task = () => Promise<void>;

const pending = new WeakMap<EntityManager, Task[]>();

/** Marks `manager` as a transaction whose cache invalidations must also run once it committed. */
export function trackCommit(manager: EntityManager): void {
  pending.set(manager, []);
}

/** Runs (and forgets) what was deferred on `manager`; call after the transaction committed. */
export async function flushAfterCommit(manager: EntityManager): Promise<void> {
  const tasks = pending.get(manager) ?? [];
  pending.delete(manager);
  for (const task of tasks) await task().catch(() => undefined);
}

/** Forgets what was deferred on a transaction that rolled back. */
export function discardAfterCommit(manager: EntityManager): void {
  pending.delete(manager);
}

/**
 * Runs a cache invalidation now and, inside a tracked transaction, once more after commit: a
 * request that read the old row between the two would otherwise cache it for the whole TTL.
 */
export async function invalidateNowAndAfterCommit(manager: EntityManager | undefined, task: Task): Promise<void> {
  const tasks = manager ? pending.get(manager) : undefined;
  tasks?.push(task);
  await task();
}

/**
 * `manager.transaction(work)` whose cache invalidations (`invalidateNowAndAfterCommit`) run again
 * once it committed, as the webhooks' do: another instance reading between the first invalidation
 * and the commit would otherwise cache the old rows (a missing membership, for up to 30 s).
 */
export async function inTrackedTransaction<R>(manager: EntityManager, work: (em: EntityManager) => Promise<R>): Promise<R> {
  let transaction: EntityManager | undefined;
  try {
    const result = await manager.transaction((em) => {
      transaction = em;
      trackCommit(em);
      return work(em);
    });
    await flushAfterCommit(transaction!);
    return result;
  } catch (error) {
    if (transaction) discardAfterCommit(transaction);
    throw error;
  }
}
