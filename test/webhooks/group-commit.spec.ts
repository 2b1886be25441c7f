import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { GroupCommit } from '../../lib/webhooks/group-commit.js';

interface Statement {
  items: number[];
  resolve(results: string[]): void;
  reject(error: Error): void;
}

/** A GroupCommit over a fake statement runner whose statements finish when the test says so. */
function harness(limits = { maxInFlight: 1, stalledAfterMs: 50, maxBatch: 3 }) {
  const statements: Statement[] = [];
  const group = new GroupCommit<number, string>(
    (items) => new Promise<string[]>((resolve, reject) => statements.push({ items, resolve, reject })),
    // Items with the same last digit share a key (as two events of one user do).
    (item) => [String(item % 10)],
    limits,
  );
  const settled = new Map<number, string>();
  const submit = (...items: number[]) =>
    items.map((item) =>
      group.submit(item).then(
        (result) => void settled.set(item, result),
        (error: Error) => void settled.set(item, `rejected: ${error.message}`),
      ),
    );
  const commit = (statement: Statement) => statement.resolve(statement.items.map((item) => `done ${item}`));
  return { statements, submit, settled, commit };
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('GroupCommit', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('sends a lone item at once, in a statement of its own', async () => {
    const { statements, submit, settled, commit } = harness();
    submit(1);
    expect(statements.map((s) => s.items)).toEqual([[1]]);
    commit(statements[0]);
    await turn();
    expect(settled.get(1)).toBe('done 1');
  });

  it('items arriving while a statement runs share the next one: at most maxBatch, each key once, in arrival order', async () => {
    const { statements, submit, settled, commit } = harness();
    submit(1);
    submit(2, 3, 12, 4, 5);
    expect(statements).toHaveLength(1);
    commit(statements[0]);
    await turn();
    expect(statements.map((s) => s.items)).toEqual([[1], [2, 3, 4]]);
    commit(statements[1]);
    await turn();
    expect(statements.map((s) => s.items)).toEqual([[1], [2, 3, 4], [12, 5]]);
    commit(statements[2]);
    await turn();
    expect([...settled.keys()].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 12]);
    expect(settled.get(12)).toBe('done 12');
  });

  it('a failed batch runs its items one by one: only the item that fails alone is rejected', async () => {
    const { statements, submit, settled, commit } = harness();
    submit(1);
    submit(2, 3, 4);
    commit(statements[0]);
    await turn();
    statements[1].reject(new Error('unique violation'));
    await turn();
    expect(statements.slice(2).map((s) => s.items)).toEqual([[2], [3], [4]]);
    commit(statements[2]);
    statements[3].reject(new Error('still failing'));
    commit(statements[4]);
    await turn();
    expect(settled).toEqual(new Map([[1, 'done 1'], [2, 'done 2'], [3, 'rejected: still failing'], [4, 'done 4']]));
  });

  it('a statement stalled past stalledAfterMs (e.g. on a row lock) lets the next batch go', async () => {
    jest.useFakeTimers();
    const { statements, submit, settled, commit } = harness();
    submit(1);
    submit(2);
    await jest.advanceTimersByTimeAsync(49);
    expect(statements).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(statements.map((s) => s.items)).toEqual([[1], [2]]);
    commit(statements[1]);
    commit(statements[0]);
    await jest.advanceTimersByTimeAsync(0);
    expect(settled).toEqual(new Map([[2, 'done 2'], [1, 'done 1']]));
    // The stalled statement's slot was released once: the next item again goes out alone.
    submit(3);
    expect(statements.map((s) => s.items)).toEqual([[1], [2], [3]]);
  });
});
