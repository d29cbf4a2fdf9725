import { describe, expect, it } from 'vitest';
import { fakeWindow } from './__fixtures__/fake-window.js';
import { createStats } from './stats.js';
import { createUmamiQueue } from './umami-queue.js';

describe('createUmamiQueue', () => {
  it('sends at once when window.umami is there', () => {
    const fake = fakeWindow();
    fake.installUmami();
    const queue = createUmamiQueue(fake.win, createStats());
    queue.push('a__b', { x: 1 });
    expect(fake.umamiCalls).toEqual([['a__b', { x: 1 }]]);
    expect(fake.timers.count()).toBe(0);
  });

  it('queues until window.umami appears, then delivers in order', () => {
    const fake = fakeWindow();
    const stats = createStats();
    const queue = createUmamiQueue(fake.win, stats);
    queue.push('a__one', {});
    queue.push('a__two', {});
    fake.timers.advance(1000);
    expect(fake.umamiCalls).toEqual([]);
    expect(queue.size()).toBe(2);
    fake.installUmami();
    queue.push('a__three', {});
    expect(fake.umamiCalls).toEqual([]);
    fake.timers.advance(5000);
    expect(fake.umamiCalls.map(([name]) => name)).toEqual(['a__one', 'a__two', 'a__three']);
    expect(stats.sent).toBe(3);
    expect(queue.size()).toBe(0);
    expect(fake.timers.count()).toBe(0);
  });

  it('backs off polling from 50 ms to at most 5 s, with one timer at a time', () => {
    const fake = fakeWindow();
    const queue = createUmamiQueue(fake.win, createStats());
    queue.push('a__b', {});
    queue.push('a__c', {});
    const seen: number[] = [];
    for (let i = 0; i < 9; i++) {
      expect(fake.timers.count()).toBe(1);
      const delay = fake.timers.delays()[0]!;
      seen.push(delay);
      fake.timers.advance(delay);
    }
    expect(seen).toEqual([50, 100, 200, 400, 800, 1600, 3200, 5000, 5000]);
  });

  it('drops the oldest event past the limit and counts it', () => {
    const fake = fakeWindow();
    const stats = createStats();
    const queue = createUmamiQueue(fake.win, stats, 3);
    for (const name of ['a__1', 'a__2', 'a__3', 'a__4', 'a__5']) queue.push(name, {});
    expect(stats.overflow).toBe(2);
    fake.installUmami();
    queue.drain();
    expect(fake.umamiCalls.map(([name]) => name)).toEqual(['a__3', 'a__4', 'a__5']);
  });

  it('clear empties the queue and stops polling', () => {
    const fake = fakeWindow();
    const queue = createUmamiQueue(fake.win, createStats());
    queue.push('a__b', {});
    queue.clear();
    expect(queue.size()).toBe(0);
    expect(fake.timers.count()).toBe(0);
    fake.installUmami();
    fake.timers.advance(60_000);
    expect(fake.umamiCalls).toEqual([]);
  });

  it('counts a throwing umami.track and carries on', () => {
    const fake = fakeWindow();
    const stats = createStats();
    let calls = 0;
    fake.win.umami = {
      track: () => {
        calls++;
        if (calls === 1) throw new Error('blocked');
      },
    };
    const queue = createUmamiQueue(fake.win, stats);
    expect(() => queue.push('a__b', {})).not.toThrow();
    queue.push('a__c', {});
    expect(stats).toMatchObject({ failed: 1, sent: 1 });
  });
});
