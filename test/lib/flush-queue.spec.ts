import { expect } from 'chai';
import { FlushQueue } from '../../lib/sync/flush-queue';
import { sleep } from './helpers';

describe('lib/sync/flush-queue (FlushQueue)', () => {
  it('flushes as soon as flushAt entries are waiting', async () => {
    const flushed: number[][] = [];
    const queue = new FlushQueue<number>({ flushAt: 3, idleMs: 10_000, flush: async (e) => void flushed.push(e) });
    queue.add([1, 2]);
    expect(flushed).to.deep.equal([]);
    expect(queue.waiting).to.equal(2);
    queue.add([3]);
    await queue.close();
    expect(flushed).to.deep.equal([[1, 2, 3]]);
    expect(queue.waiting).to.equal(0);
  });

  it('flushes after input has been quiet for idleMs', async () => {
    const flushed: number[][] = [];
    const queue = new FlushQueue<number>({ flushAt: 100, idleMs: 30, flush: async (e) => void flushed.push(e) });
    queue.add([1]);
    await sleep(15);
    queue.add([2]);
    await sleep(15);
    expect(flushed, 'the second add restarted the idle timer').to.deep.equal([]);
    await sleep(40);
    expect(flushed).to.deep.equal([[1, 2]]);
    await queue.close();
  });

  it('add(..., true) and flush() flush at once; flushes run one at a time, in order', async () => {
    const log: string[] = [];
    const queue = new FlushQueue<string>({
      flushAt: 100,
      idleMs: 10_000,
      flush: async (entries) => {
        log.push(`start ${entries.join(',')}`);
        await sleep(20);
        log.push(`end ${entries.join(',')}`);
      },
    });
    queue.add(['a'], true);
    queue.add(['b']);
    await queue.flush();
    expect(log).to.deep.equal(['start a', 'end a', 'start b', 'end b']);
    await queue.close();
  });

  it('ignores input after close()', async () => {
    const flushed: number[][] = [];
    const queue = new FlushQueue<number>({ flushAt: 1, idleMs: 10, flush: async (e) => void flushed.push(e) });
    await queue.close();
    queue.add([1], true);
    await sleep(20);
    expect(flushed).to.deep.equal([]);
  });

  it('keeps flushing after one flush failed (later work is not lost)', async () => {
    const flushed: number[][] = [];
    let calls = 0;
    const queue = new FlushQueue<number>({
      flushAt: 100,
      idleMs: 10_000,
      flush: async (entries) => {
        calls += 1;
        if (calls === 1) throw new Error('tracker exploded');
        flushed.push(entries);
      },
    });
    queue.add([1]);
    await queue.flush().catch(() => undefined);
    queue.add([2]);
    await queue.flush().catch(() => undefined);
    expect(calls, 'the second flush ran').to.equal(2);
    expect(flushed).to.deep.equal([[2]]);
  });

  it('with split, a size-triggered flush takes whole batches and keeps the rest for the idle flush', async () => {
    const flushed: number[][] = [];
    const queue = new FlushQueue<number[]>({
      flushAt: 100,
      idleMs: 20,
      sizeOf: (entry) => entry.length,
      split: (entry, size) => [entry.slice(0, size), entry.slice(size)],
      flush: async (entries) => {
        flushed.push(entries.map((e) => e.length));
      },
    });
    const page = (n: number) => Array.from({ length: n }, (_, i) => i);
    queue.add([page(250)]);
    await new Promise((r) => setTimeout(r, 5));
    expect(flushed).to.deep.equal([[200]]);
    expect(queue.waiting).to.equal(50);
    queue.add([page(60)]);
    await new Promise((r) => setTimeout(r, 5));
    expect(flushed).to.deep.equal([[200], [50, 50]]);
    expect(queue.waiting).to.equal(10);
    await new Promise((r) => setTimeout(r, 40));
    expect(flushed).to.deep.equal([[200], [50, 50], [10]]);
  });
});
