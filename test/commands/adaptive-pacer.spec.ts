import { describe, expect, it } from '@jest/globals';
import { AdaptivePacer, type PacerClock } from '../../lib/migration/adaptive-pacer.js';

/** A clock that moves only when told to, or when the pacer sleeps. */
function fakeClock() {
  let time = 0;
  const sleeps: number[] = [];
  const clock: PacerClock = {
    now: () => time,
    sleep: async (ms) => {
      sleeps.push(ms);
      time += ms;
    },
  };
  return { clock, sleeps, advance: (ms: number) => (time += ms) };
}

describe('AdaptivePacer (the migration pace learnt from 429s)', () => {
  it('does not pace before the first 429', async () => {
    const { clock, sleeps } = fakeClock();
    const pacer = new AdaptivePacer(clock);
    for (let i = 0; i < 50; i++) await pacer.slot();
    expect(sleeps).toEqual([]);
    expect(pacer.callsPerSecond).toBe(Number.POSITIVE_INFINITY);
  });

  it('after a 429, spaces calls just under what Clerk accepted in the last second, then creeps up by two calls/s per second', async () => {
    const { clock, sleeps, advance } = fakeClock();
    const pacer = new AdaptivePacer(clock);
    for (let i = 0; i < 100; i++) {
      pacer.accepted();
      advance(5);
    }
    pacer.rateLimited();
    pacer.rateLimited(); // the same burst of 429s: one drop only
    expect(pacer.callsPerSecond).toBe(95);
    for (let i = 0; i < 4; i++) await pacer.slot();
    expect(sleeps.map((ms) => Math.round(ms * 95))).toEqual([1000, 1000, 1000]);
    advance(3000);
    await pacer.slot();
    expect(pacer.callsPerSecond).toBe(101);
  });

  it('a 429 with few calls in the last second (at the start, or a tiny limit) changes nothing', () => {
    const { clock } = fakeClock();
    const pacer = new AdaptivePacer(clock);
    for (let i = 0; i < 3; i++) pacer.accepted();
    pacer.rateLimited();
    expect(pacer.callsPerSecond).toBe(Number.POSITIVE_INFINITY);
  });
});
