import { expect } from 'chai';
import { AccountLimiter, parseRateLimitHeader } from '../../lib/core/limiter';
import { RateGate } from '../../lib/core/rate-gate';
import { sleep } from './helpers';

interface Span {
  start: number;
  end: number;
}

function timedTask(spans: Span[], durationMs: number): () => Promise<number> {
  return async () => {
    const span = { start: Date.now(), end: 0 };
    spans.push(span);
    await sleep(durationMs);
    span.end = Date.now();
    return spans.length;
  };
}

describe('lib/core/limiter (AccountLimiter) and rate-gate', () => {
  const limiters: AccountLimiter[] = [];
  const make = (options: ConstructorParameters<typeof AccountLimiter>[0]) => {
    const limiter = new AccountLimiter(options);
    limiters.push(limiter);
    return limiter;
  };
  afterEach(async () => {
    await Promise.all(limiters.splice(0).map((l) => l.stop()));
  });

  describe('writes', () => {
    it('starts three writes at least writeSpacingMs apart', async () => {
      const limiter = make({ writeSpacingMs: 100 });
      const spans: Span[] = [];
      await Promise.all([1, 2, 3].map(() => limiter.write(timedTask(spans, 5))));
      expect(spans).to.have.length(3);
      expect(spans[1].start - spans[0].start).to.be.at.least(95);
      expect(spans[2].start - spans[1].start).to.be.at.least(95);
    });

    it('runs writes one at a time even when a write takes longer than the spacing', async () => {
      const limiter = make({ writeSpacingMs: 10 });
      const spans: Span[] = [];
      let running = 0;
      let maxRunning = 0;
      const task = async () => {
        running += 1;
        maxRunning = Math.max(maxRunning, running);
        await timedTask(spans, 60)();
        running -= 1;
      };
      await Promise.all([limiter.write(task), limiter.write(task), limiter.write(task)]);
      expect(maxRunning).to.equal(1);
      expect(spans[1].start).to.be.at.least(spans[0].end);
      expect(spans[2].start).to.be.at.least(spans[1].end);
    });

    it('a write waits while the gate is paused', async () => {
      const limiter = make({ writeSpacingMs: 0 });
      const pausedAt = Date.now();
      limiter.gate.pauseUntil(pausedAt + 80);
      const spans: Span[] = [];
      await limiter.write(timedTask(spans, 1));
      expect(spans[0].start - pausedAt).to.be.at.least(75);
    });

    it('returns the task result and passes its rejection through', async () => {
      const limiter = make({ writeSpacingMs: 0 });
      expect(await limiter.write(async () => 42)).to.equal(42);
      let caught: unknown;
      await limiter.write(async () => Promise.reject(new Error('boom'))).catch((e: unknown) => (caught = e));
      expect((caught as Error).message).to.equal('boom');
    });
  });

  describe('reads', () => {
    it('with 3 reads per 300 ms window the 4th read slot waits until the first leaves the window', async () => {
      const limiter = make({ readsPerWindow: 3, readWindowMs: 300, readConcurrency: 4 });
      const t0 = Date.now();
      const granted = await Promise.all([1, 2, 3, 4].map(() => limiter.takeReadSlot().then(() => Date.now() - t0)));
      expect(granted[2]).to.be.below(100);
      expect(granted[3]).to.be.at.least(290);
    });

    it('never grants more than the limit in any sliding window, however the requests are spread', async () => {
      const limiter = make({ readsPerWindow: 4, readWindowMs: 200, readConcurrency: 4 });
      const times: number[] = [];
      // A burst, a pause that ends just after a fixed-clock refill would come, and another burst.
      await Promise.all([1, 2, 3, 4].map(() => limiter.takeReadSlot().then(() => times.push(Date.now()))));
      await sleep(150);
      await Promise.all([1, 2, 3, 4, 5, 6].map(() => limiter.takeReadSlot().then(() => times.push(Date.now()))));
      for (const t of times) expect(times.filter((u) => u >= t && u - t < 195).length).to.be.at.most(4);
    });

    it('reads up to readConcurrency run in parallel', async () => {
      const limiter = make({ readsPerWindow: 100, readWindowMs: 60_000, readConcurrency: 2 });
      let running = 0;
      let maxRunning = 0;
      const task = async () => {
        running += 1;
        maxRunning = Math.max(maxRunning, running);
        await sleep(30);
        running -= 1;
      };
      await Promise.all([1, 2, 3, 4].map(() => limiter.read(task)));
      expect(maxRunning).to.equal(2);
    });
  });

  describe('observe(X-Ratelimit)', () => {
    it('remaining 0 with until in the future pauses the gate until then', async () => {
      const limiter = make({});
      const paused: number[] = [];
      limiter.gate.on('paused', (until: number) => paused.push(until));
      const until = new Date(Date.now() + 2000);
      await limiter.observe({ name: 'AUTHED_API_GET_LIMIT', remaining: 0, until: until.toISOString() }, true);
      expect(paused).to.deep.equal([until.getTime()]);
      expect(limiter.gate.remainingMs()).to.be.within(1500, 2000);
    });

    it('remaining 0 with until in the past does not pause', async () => {
      const limiter = make({});
      await limiter.observe({ remaining: 0, until: new Date(Date.now() - 1000).toISOString() }, true);
      expect(limiter.gate.remainingMs()).to.equal(0);
    });

    it('a write response never pauses reads', async () => {
      const limiter = make({});
      await limiter.observe({ name: 'AUTHED_API_POST_LIMIT', remaining: 0, until: new Date(Date.now() + 5000).toISOString() }, false);
      expect(limiter.gate.remainingMs()).to.equal(0);
    });
  });

  describe('parseRateLimitHeader', () => {
    it('parses the JSON header and ignores garbage', () => {
      expect(parseRateLimitHeader('{"name":"X","remaining":3}')).to.deep.equal({ name: 'X', remaining: 3 });
      expect(parseRateLimitHeader('not json')).to.equal(undefined);
      expect(parseRateLimitHeader(undefined)).to.equal(undefined);
      expect(parseRateLimitHeader('')).to.equal(undefined);
      expect(parseRateLimitHeader('null')).to.equal(undefined);
    });
  });

  describe('RateGate', () => {
    it('a later pause extends, an earlier one is ignored (and emits nothing)', () => {
      const gate = new RateGate();
      const events: number[] = [];
      gate.on('paused', (until: number) => events.push(until));
      const now = Date.now();
      gate.pauseUntil(now + 1000);
      gate.pauseUntil(now + 500);
      gate.pauseUntil(now + 2000);
      expect(events).to.deep.equal([now + 1000, now + 2000]);
      expect(gate.remainingMs(now)).to.equal(2000);
    });

    it('wait() resolves once the pause is over, including an extension made meanwhile', async () => {
      const gate = new RateGate();
      const t0 = Date.now();
      gate.pauseUntil(t0 + 40);
      setTimeout(() => gate.pauseUntil(Date.now() + 60), 20);
      await gate.wait();
      expect(Date.now() - t0).to.be.at.least(75);
      expect(gate.remainingMs()).to.equal(0);
    });
  });
});
