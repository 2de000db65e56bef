/**
 * Client quotas as a KIP-219 client honours them (DESIGN §10): a Produce or Fetch answer carrying
 * throttle_time_ms means this client exceeded a quota on that broker, and it sends that broker no further
 * Produce or Fetch until the time has passed (the broker would hold them back anyway). Nothing is retried
 * and nothing fails: the next call just starts later. Also the interceptor that names the client on every
 * call (its client id, what quotas are resolved for).
 */
import * as grpc from '@grpc/grpc-js';
import { CLIENT_ID_METADATA_KEY } from '@tributary/protocol';

/** The longest wait one answer can impose (the broker bounds it far lower; this guards a bad answer). */
const THROTTLE_TIME_MS_MAX = 60_000;

export class BrokerThrottles {
  /** Per broker address: no Produce/Fetch before this time (performance.now() ms). */
  private readonly until = new Map<string, number>();

  /** Notes an answer's throttle time for this broker. */
  note(address: string, throttleTimeMs: number | undefined): void {
    if (throttleTimeMs === undefined || !(throttleTimeMs > 0)) return;
    const untilMs = performance.now() + Math.min(throttleTimeMs, THROTTLE_TIME_MS_MAX);
    if (untilMs > (this.until.get(address) ?? 0)) this.until.set(address, untilMs);
  }

  /** How long calls to this broker must still wait (0: none). */
  remainingMs(address: string): number {
    const untilMs = this.until.get(address);
    if (untilMs === undefined) return 0;
    const remainingMs = untilMs - performance.now();
    if (remainingMs <= 0) {
      this.until.delete(address);
      return 0;
    }
    return remainingMs;
  }

  /** Resolves once this broker's throttle time has passed. */
  async wait(address: string): Promise<void> {
    const remainingMs = this.remainingMs(address);
    if (remainingMs > 0) await new Promise((resolve) => setTimeout(resolve, remainingMs));
  }
}

/** Adds the client id to every call's metadata (Kafka sends it in every request header). */
export function clientIdInterceptor(clientId: string): grpc.Interceptor {
  return (options, nextCall) =>
    new grpc.InterceptingCall(nextCall(options), {
      start(metadata, listener, next) {
        metadata.set(CLIENT_ID_METADATA_KEY, clientId);
        next(metadata, listener);
      },
    });
}
