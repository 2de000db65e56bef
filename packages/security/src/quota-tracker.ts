/**
 * A broker's client quota state, without I/O: one sampled rate per usage key (quota-resolution.ts), the
 * throttle time of each recorded request, and when each client may be served again. The broker's shell
 * passes the time in, reads the quotas from its metadata image and applies the throttle (a muted Kafka
 * connection, a held-back gRPC request).
 *
 * Bounded (STYLE.md rule 5): at most `entitiesMax` rates and as many holds, the least recently used
 * dropped first; a rate idle for `idleExpiryMs` is forgotten (Kafka expires quota sensors after an hour),
 * so a client that comes back starts from an empty window, as in Kafka.
 */
import { assert } from '@tributary/core';
import {
  checkQuotaWindowConfig,
  type QuotaWindowConfig,
  quotaThrottleTimeMs,
  SampledRate,
} from './quota-rate.js';
import type { QuotaClient, ResolvedQuota } from './quota-resolution.js';

export interface QuotaTrackerConfig extends QuotaWindowConfig {
  /** Rates kept at most (and holds kept at most). */
  readonly entitiesMax: number;
  /** A rate not recorded to for this long is dropped. */
  readonly idleExpiryMs: number;
}

export interface QuotaOutcome {
  /** How long the client must wait before its next request; 0 = within its quota. */
  readonly throttleTimeMs: number;
  /** The rate after this request, in the quota's unit per second. */
  readonly observedRate: number;
}

/**
 * The longest throttle of one response. Kafka bounds request_percentage throttles by one sample window
 * (ClientRequestQuotaManager) and leaves byte-rate throttles unbounded; here byte rates are bounded by the
 * whole rate window (samples × window, as Kafka's BrokerQuotaManager), so that a held-back request stays
 * within any sensible deadline. The recorded bytes still count until their sample expires.
 */
export function throttleTimeMsMax(resolved: Pick<ResolvedQuota, 'key'>, config: QuotaWindowConfig): number {
  return resolved.key === 'request_percentage'
    ? config.sampleWindowMs
    : config.samples * config.sampleWindowMs;
}

export class ClientQuotaTracker {
  readonly #config: QuotaTrackerConfig;
  /** By usage key, least recently recorded first (Map order: touched entries are re-inserted). */
  readonly #rates = new Map<string, SampledRate>();
  /** By client ("user|clientId" as JSON): served again from this time on. */
  readonly #holds = new Map<string, number>();

  constructor(config: QuotaTrackerConfig) {
    checkQuotaWindowConfig(config);
    assert(Number.isSafeInteger(config.entitiesMax) && config.entitiesMax > 0, 'entitiesMax must be > 0');
    assert(config.idleExpiryMs > 0, 'idleExpiryMs must be > 0');
    this.#config = config;
  }

  /** Rates held (for tests and a gauge). */
  get size(): number {
    return this.#rates.size;
  }

  /**
   * Adds `value` (bytes, or requestPercentageUnits) to the usage's rate and answers the throttle time, as
   * Kafka's ClientQuotaManager.recordAndGetThrottleTimeMs: record first, then compare the rate with the
   * quota (the quota as of now: a changed quota applies to the rate already observed).
   */
  record(resolved: ResolvedQuota, value: number, nowMs: number): QuotaOutcome {
    let rate = this.#rates.get(resolved.usageKey);
    if (rate === undefined) {
      rate = new SampledRate(this.#config, nowMs);
      if (this.#rates.size >= this.#config.entitiesMax) this.#dropOldest(this.#rates);
    } else {
      this.#rates.delete(resolved.usageKey);
    }
    this.#rates.set(resolved.usageKey, rate);
    rate.record(value, nowMs);
    const observedRate = rate.measure(nowMs);
    const throttleTimeMs = quotaThrottleTimeMs({
      observedRate,
      quota: resolved.quota,
      windowMs: rate.windowSizeMs(nowMs),
      maxMs: throttleTimeMsMax(resolved, this.#config),
    });
    return { throttleTimeMs, observedRate };
  }

  /** The rate of a usage now, or 0 when nothing is held for it. */
  observedRate(resolved: Pick<ResolvedQuota, 'usageKey'>, nowMs: number): number {
    return this.#rates.get(resolved.usageKey)?.measure(nowMs) ?? 0;
  }

  /** The client may not be served before `untilMs` (a later hold only extends it). */
  hold(client: QuotaClient, untilMs: number): void {
    const key = clientKey(client);
    const previous = this.#holds.get(key);
    if (previous !== undefined) this.#holds.delete(key);
    else if (this.#holds.size >= this.#config.entitiesMax) this.#dropOldest(this.#holds);
    this.#holds.set(key, Math.max(previous ?? untilMs, untilMs));
  }

  /** How long this client must still wait before being served (0: not held). */
  heldForMs(client: QuotaClient, nowMs: number): number {
    const key = clientKey(client);
    const untilMs = this.#holds.get(key);
    if (untilMs === undefined) return 0;
    if (untilMs <= nowMs) {
      this.#holds.delete(key);
      return 0;
    }
    return untilMs - nowMs;
  }

  /** Drops rates idle for idleExpiryMs and holds that have ended; returns how many rates were dropped. */
  expireIdle(nowMs: number): number {
    let dropped = 0;
    for (const [key, rate] of this.#rates) {
      // Least recently recorded first: the first one still fresh ends the sweep.
      if (nowMs - rate.lastRecordMs < this.#config.idleExpiryMs) break;
      this.#rates.delete(key);
      dropped++;
    }
    for (const [key, untilMs] of this.#holds) if (untilMs <= nowMs) this.#holds.delete(key);
    return dropped;
  }

  #dropOldest(map: Map<string, unknown>): void {
    const oldest = map.keys().next();
    if (oldest.done !== true) map.delete(oldest.value);
  }
}

function clientKey(client: QuotaClient): string {
  return JSON.stringify([client.user, client.clientId]);
}
