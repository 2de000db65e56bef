/**
 * The rate a client quota is compared with, computed as Kafka's metrics library does (a `Rate` over a
 * `SampledStat`, `quota.window.num` samples of `quota.window.size.seconds` each), and the throttle time
 * Kafka's ClientQuotaManager derives from it (QuotaUtils.throttleTime). Pure: every call takes the time.
 *
 * Kafka's rules kept here on purpose, because they decide how a throttled client behaves:
 * - a value is added to the current sample; a sample older than its window starts the next one (the
 *   samples are a ring, the oldest reused);
 * - a sample that started `samples × window` ago or more no longer counts (it is reset to now);
 * - the rate divides the retained total by the time since the oldest sample started, but by no less than
 *   `samples − 1` whole windows, so a new client's first burst is spread over a full window rather than
 *   measured over a few milliseconds.
 */
import { assert } from '@tributary/core';
import { SECURITY_LIMITS } from './limits.js';

export interface QuotaWindowConfig {
  /** quota.window.num (Kafka default 11). */
  readonly samples: number;
  /** quota.window.size.seconds in ms (Kafka default 1000). */
  readonly sampleWindowMs: number;
}

export const DEFAULT_QUOTA_WINDOW: QuotaWindowConfig = { samples: 11, sampleWindowMs: 1_000 };

export function checkQuotaWindowConfig(config: QuotaWindowConfig): void {
  assert(
    Number.isSafeInteger(config.samples) &&
      config.samples >= 2 &&
      config.samples <= SECURITY_LIMITS.quotaSamplesMax,
    `quota samples must be an integer in [2, ${SECURITY_LIMITS.quotaSamplesMax}], got ${config.samples}`,
  );
  assert(
    Number.isSafeInteger(config.sampleWindowMs) &&
      config.sampleWindowMs >= SECURITY_LIMITS.quotaSampleWindowMsMin &&
      config.sampleWindowMs <= SECURITY_LIMITS.quotaSampleWindowMsMax,
    `quota sample window must be an integer number of ms in [${SECURITY_LIMITS.quotaSampleWindowMsMin}, ${SECURITY_LIMITS.quotaSampleWindowMsMax}], got ${config.sampleWindowMs}`,
  );
}

interface Sample {
  startMs: number;
  total: number;
}

/** Kafka's Rate(SampledStat): values per second over the retained samples. */
export class SampledRate {
  readonly #config: QuotaWindowConfig;
  readonly #samples: Sample[] = [];
  #current = 0;
  /** When a value was last recorded (for idle expiry). */
  lastRecordMs: number;

  constructor(config: QuotaWindowConfig, nowMs: number) {
    checkQuotaWindowConfig(config);
    this.#config = config;
    this.#samples.push({ startMs: nowMs, total: 0 });
    this.lastRecordMs = nowMs;
  }

  record(value: number, nowMs: number): void {
    assert(
      Number.isFinite(value) && value >= 0,
      `a recorded quota value must be finite and >= 0, got ${value}`,
    );
    let sample = this.#samples[this.#current] as Sample;
    if (nowMs - sample.startMs >= this.#config.sampleWindowMs) sample = this.#advance(nowMs);
    sample.total += value;
    this.lastRecordMs = Math.max(this.lastRecordMs, nowMs);
  }

  /** Values per second: the retained total over windowSizeMs. */
  measure(nowMs: number): number {
    this.#purgeObsolete(nowMs);
    let total = 0;
    for (const sample of this.#samples) total += sample.total;
    return (total * 1_000) / this.windowSizeMs(nowMs);
  }

  /** Kafka's Rate.windowSize: time since the oldest sample started, at least samples − 1 whole windows. */
  windowSizeMs(nowMs: number): number {
    this.#purgeObsolete(nowMs);
    let oldestMs = Number.POSITIVE_INFINITY;
    for (const sample of this.#samples) oldestMs = Math.min(oldestMs, sample.startMs);
    let elapsedMs = nowMs - oldestMs;
    const fullWindows = Math.floor(elapsedMs / this.#config.sampleWindowMs);
    const minFullWindows = this.#config.samples - 1;
    if (fullWindows < minFullWindows)
      elapsedMs += (minFullWindows - fullWindows) * this.#config.sampleWindowMs;
    return Math.max(elapsedMs, 1);
  }

  #advance(nowMs: number): Sample {
    this.#current = (this.#current + 1) % this.#config.samples;
    let sample = this.#samples[this.#current];
    if (sample === undefined) {
      sample = { startMs: nowMs, total: 0 };
      this.#samples.push(sample);
    } else {
      sample.startMs = nowMs;
      sample.total = 0;
    }
    return sample;
  }

  #purgeObsolete(nowMs: number): void {
    const expireAgeMs = this.#config.samples * this.#config.sampleWindowMs;
    for (const sample of this.#samples) {
      if (nowMs - sample.startMs >= expireAgeMs) {
        sample.startMs = nowMs;
        sample.total = 0;
      }
    }
  }
}

/**
 * Kafka's QuotaUtils.throttleTime: with observed rate O over a window W and quota T, the client must stay
 * silent X so that O·W / (W + X) = T, hence X = (O − T) / T · W. Zero when O ≤ T; rounded; at most maxMs.
 */
export function quotaThrottleTimeMs(options: {
  readonly observedRate: number;
  readonly quota: number;
  readonly windowMs: number;
  readonly maxMs: number;
}): number {
  const { observedRate, quota, windowMs, maxMs } = options;
  assert(quota >= 0 && windowMs > 0 && maxMs >= 0, 'quota, window and bound must be non-negative');
  if (observedRate <= quota) return 0;
  // A zero quota allows nothing: every request waits the longest throttle.
  if (quota === 0) return maxMs;
  return Math.min(maxMs, Math.round(((observedRate - quota) / quota) * windowMs));
}

/** request_percentage's unit (Kafka's ClientRequestQuotaManager): handler time as percent-seconds of one thread. */
export function requestPercentageUnits(handlerTimeMs: number): number {
  return (handlerTimeMs * 100) / 1_000;
}
