import { describe, expect, it } from 'vitest';
import { DroppedAttributeTally, OTHER_KEY } from './index.js';

describe('DroppedAttributeTally', () => {
  it('counts per key up to the bound, then folds new keys into `other`', () => {
    const tally = new DroppedAttributeTally(3);
    for (const key of ['a', 'b', 'a', 'c', 'd', 'e', 'b']) tally.add(key);
    expect([...tally.counts()]).toEqual([
      ['a', 2],
      ['b', 2],
      ['c', 1],
      [OTHER_KEY, 2],
    ]);
    expect(tally.total()).toBe(7);
  });

  it('holds at most the bound plus `other` however many keys a sender invents, and cuts long keys', () => {
    const tally = new DroppedAttributeTally();
    for (let i = 0; i < 10_000; i++) tally.add(`ai.telemetry.metadata.k${i}`);
    tally.add(`x${'y'.repeat(500)}`);
    expect(tally.counts().size).toBe(201);
    expect(tally.counts().get(OTHER_KEY)).toBe(9_801);
    const process = new DroppedAttributeTally(2);
    process.addAll(new Map([['gen_ai.input.messages', 3]]));
    process.addAll(
      new Map([
        ['gen_ai.input.messages', 2],
        ['ai.prompt', 1],
        ['ai.response.text', 4],
      ]),
    );
    expect([...process.counts()]).toEqual([
      ['gen_ai.input.messages', 5],
      ['ai.prompt', 1],
      [OTHER_KEY, 4],
    ]);
    const long = new DroppedAttributeTally();
    long.add('z'.repeat(500));
    expect([...long.counts().keys()][0]).toHaveLength(100);
  });
});
