/**
 * The broker's client quotas (DESIGN §10, Kafka's ClientQuotaManager with KIP-219): produce request bytes,
 * fetch response bytes and handler time are recorded per (user, client id) under the quota the metadata
 * image resolves for them, and the throttle time comes back with the response. The client is then held
 * back for that long, as Kafka mutes its channel: the Kafka listener stops reading the connection
 * (connection-throttle.ts), the gRPC services hold the client's next Produce/Fetch until the time has
 * passed. Nothing fails: requests are only slowed. Replication, the group coordinator's own writes and
 * every request of a client without a quota are never throttled.
 *
 * The arithmetic is the security package's (pure); this is the shell: clock, image, timers, metrics.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { type Clock, TributaryError } from '@tributary/core';
import type { ClientQuotasImage } from '@tributary/metadata';
import { CLIENT_ID_METADATA_KEY } from '@tributary/protocol';
import {
  ClientQuotaTracker,
  DEFAULT_QUOTA_WINDOW,
  type QuotaClient,
  type QuotaKey,
  type QuotaWindowConfig,
  type RequestCaller,
  requestPercentageUnits,
  resolveQuota,
  SECURITY_LIMITS,
} from '@tributary/security';
import { REQUEST_LIMITS } from '../services/limits.js';
import type { QuotaMetrics } from './quota-metrics.js';

/** How often idle rates are swept (on the request path, never by a timer). */
const SWEEP_INTERVAL_MS = 60_000;

export interface BrokerClientQuotasOptions {
  /** The client quotas of the broker's current metadata image (read on every request). */
  readonly quotas: () => ClientQuotasImage;
  readonly clock: Clock;
  /** quota.window.num and quota.window.size (Kafka: 11 × 1 s). */
  readonly window?: QuotaWindowConfig;
  readonly metrics?: QuotaMetrics;
}

/** What one served request cost: bytes for a byte-rate quota, the synchronous handler time in ms. */
export interface RequestUsage {
  readonly bytes: number;
  readonly handlerTimeMs: number;
}

export class BrokerClientQuotas {
  readonly #options: BrokerClientQuotasOptions;
  readonly #window: QuotaWindowConfig;
  readonly #tracker: ClientQuotaTracker;
  #lastSweepMs: number;

  constructor(options: BrokerClientQuotasOptions) {
    this.#options = options;
    this.#window = options.window ?? DEFAULT_QUOTA_WINDOW;
    this.#tracker = new ClientQuotaTracker({
      ...this.#window,
      entitiesMax: SECURITY_LIMITS.quotaTrackedEntitiesMax,
      idleExpiryMs: SECURITY_LIMITS.quotaIdleExpiryMs,
    });
    this.#lastSweepMs = options.clock.nowMs();
  }

  get window(): QuotaWindowConfig {
    return this.#window;
  }

  /** Rates held (a gauge). */
  get trackedEntities(): number {
    return this.#tracker.size;
  }

  /**
   * Records a served Produce (request bytes) or Fetch (response bytes) and its handler time, and answers
   * the throttle time: the larger of the byte-rate and request-time throttles, as Kafka's KafkaApis does.
   * The client is held for it from now on.
   */
  record(client: QuotaClient, kind: 'produce' | 'fetch', usage: RequestUsage): number {
    const quotas = this.#options.quotas();
    // No quota anywhere: nothing to record (the common case costs one size check).
    if (quotas.byEntity.size === 0) return 0;
    const nowMs = this.#options.clock.nowMs();
    this.#maybeSweep(nowMs);
    const byteKey: QuotaKey = kind === 'produce' ? 'producer_byte_rate' : 'consumer_byte_rate';
    const byteThrottleMs = this.#recordKey(quotas, client, byteKey, usage.bytes, nowMs);
    const timeThrottleMs = this.#recordKey(
      quotas,
      client,
      'request_percentage',
      requestPercentageUnits(usage.handlerTimeMs),
      nowMs,
    );
    const throttleTimeMs = Math.max(byteThrottleMs, timeThrottleMs);
    if (throttleTimeMs > 0) this.#tracker.hold(client, nowMs + throttleTimeMs);
    return throttleTimeMs;
  }

  /** How long this client is still held (0: serve it now). */
  heldForMs(client: QuotaClient): number {
    return this.#tracker.heldForMs(client, this.#options.clock.nowMs());
  }

  /** Waits out the client's hold (gRPC: the stand-in for a muted channel). */
  async waitUntilServed(client: QuotaClient): Promise<void> {
    const heldMs = this.heldForMs(client);
    if (heldMs > 0) await sleep(heldMs);
  }

  #recordKey(
    quotas: ClientQuotasImage,
    client: QuotaClient,
    key: QuotaKey,
    value: number,
    nowMs: number,
  ): number {
    const resolved = resolveQuota(quotas, client, key);
    if (resolved === null) return 0;
    const outcome = this.#tracker.record(resolved, value, nowMs);
    this.#options.metrics?.observe(key, value, outcome.throttleTimeMs);
    return outcome.throttleTimeMs;
  }

  #maybeSweep(nowMs: number): void {
    if (nowMs - this.#lastSweepMs < SWEEP_INTERVAL_MS) return;
    this.#lastSweepMs = nowMs;
    this.#tracker.expireIdle(nowMs);
  }
}

/**
 * The quota identity of a request: the principal's name and the client id it sent. Takes anything that
 * may carry a caller (a Kafka request context, a gRPC call's caller) so that it works before and after
 * authentication is wired: no caller is User:ANONYMOUS, as on a listener that authenticates nobody.
 */
export function quotaClientOf(caller: RequestCaller | undefined, clientId: string | null): QuotaClient {
  return { user: caller?.principal.name ?? 'ANONYMOUS', clientId: clientId ?? '' };
}

/**
 * The quota identity of a Kafka request: the connection's caller (User:ANONYMOUS when the listener has
 * none) and the client id of the request header.
 */
export function kafkaQuotaClient(context: {
  readonly header: { readonly clientId: string | null };
  readonly caller?: RequestCaller;
}): QuotaClient {
  return quotaClientOf(context.caller, context.header.clientId);
}

/** A gRPC call's client id ('' when none is sent); a longer one than the limit is an INVALID_REQUEST. */
export function grpcClientId(call: { readonly metadata: { get(key: string): unknown[] } }): string {
  const value = call.metadata.get(CLIENT_ID_METADATA_KEY)[0];
  const clientId = typeof value === 'string' ? value : '';
  if (clientId.length > REQUEST_LIMITS.clientIdLengthMax) {
    throw new TributaryError(
      'INVALID_REQUEST',
      `${CLIENT_ID_METADATA_KEY} must be at most ${REQUEST_LIMITS.clientIdLengthMax} characters, got ${clientId.length}`,
    );
  }
  return clientId;
}
