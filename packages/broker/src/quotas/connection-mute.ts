/**
 * Kafka's muted channel for a throttled client (KIP-219): once a response carrying a throttle time is
 * ready, the connection reads no further request until that time has passed; the client, which waits the
 * same time before sending, sees no difference, and one that does not wait is slowed by TCP.
 */
import { performance } from 'node:perf_hooks';

export class ConnectionMute {
  readonly #onUnmute: () => void;
  #untilMs = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(onUnmute: () => void) {
    this.#onUnmute = onUnmute;
  }

  get muted(): boolean {
    return performance.now() < this.#untilMs;
  }

  /** Mutes for throttleTimeMs from now (a longer mute already running is kept). */
  muteFor(throttleTimeMs: number): void {
    const untilMs = performance.now() + throttleTimeMs;
    if (untilMs <= this.#untilMs) return;
    this.#untilMs = untilMs;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#onUnmute();
    }, throttleTimeMs + 1);
    this.#timer.unref();
  }

  dispose(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}

/** The throttle_time_ms of a Kafka response object (0 when it has none). */
export function throttleTimeOf(response: unknown): number {
  if (typeof response !== 'object' || response === null || !('throttleTimeMs' in response)) return 0;
  const value = response.throttleTimeMs;
  return typeof value === 'number' && value > 0 ? value : 0;
}
