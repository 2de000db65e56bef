/**
 * Client quota series, by quota type only (a label per user or client id would be unbounded): what was
 * recorded under a quota (bytes, or request_percentage's percent-seconds; rate() of it is the observed
 * rate), how many responses were throttled and for how long in total.
 */
import type { QuotaKey } from '@tributary/security';
import { Counter, Gauge, type Registry } from 'prom-client';

export class QuotaMetrics {
  readonly #recorded: Counter<'quota'>;
  readonly #throttled: Counter<'quota'>;
  readonly #throttleTimeMs: Counter<'quota'>;

  constructor(registry: Registry, trackedEntities: () => number) {
    const registers = [registry];
    this.#recorded = new Counter({
      name: 'tributary_broker_quota_recorded_total',
      help: 'Usage recorded under a client quota, by quota: bytes for producer_byte_rate and consumer_byte_rate, percent-seconds of one handler thread for request_percentage',
      labelNames: ['quota'] as const,
      registers,
    });
    this.#throttled = new Counter({
      name: 'tributary_broker_quota_throttled_responses_total',
      help: 'Responses that carried a throttle time, by the quota that was exceeded',
      labelNames: ['quota'] as const,
      registers,
    });
    this.#throttleTimeMs = new Counter({
      name: 'tributary_broker_quota_throttle_time_ms_total',
      help: 'Throttle time handed to clients, in ms, by quota',
      labelNames: ['quota'] as const,
      registers,
    });
    new Gauge({
      name: 'tributary_broker_quota_tracked_entities',
      help: 'Client quota rates this broker holds (bounded; idle ones expire)',
      registers,
      collect() {
        this.set(trackedEntities());
      },
    });
  }

  observe(quota: QuotaKey, value: number, throttleTimeMs: number): void {
    this.#recorded.inc({ quota }, value);
    if (throttleTimeMs > 0) {
      this.#throttled.inc({ quota });
      this.#throttleTimeMs.inc({ quota }, throttleTimeMs);
    }
  }
}
