/**
 * One client connection of the Kafka listener: frames are cut from the byte stream (bounded by
 * socket.request.max.bytes), decoded, handed to their handler, and answered strictly in request order
 * (Kafka clients match responses by order as well as correlation id). Requests may be served
 * concurrently; the answers wait for their turn. Reading pauses while too many request bytes or
 * requests are unanswered, or while the client is not reading its responses (back-pressure through
 * TCP). A frame that cannot be decoded closes this connection with a log line; the process never sees it.
 *
 * Each connection has a caller (security/authentication.ts) and a SASL exchange (security/sasl-session.ts):
 * while authentication is required and not done, any request but ApiVersions and SASL closes the
 * connection; a SASL error closes it once its answer is written.
 */
import type { Socket } from 'node:net';
import {
  API_VERSIONS_KEY,
  decodeRequestFrame,
  encodeResponseFrame,
  KAFKA_LIMITS,
} from '@tributary/kafka-protocol';
import type { Logger } from 'pino';
import { ConnectionMute, throttleTimeOf } from '../quotas/connection-mute.js';
import { FrameSplitter } from './frame-splitter.js';
import type { KafkaRequestContext } from './handler.js';
import { KAFKA_CONNECTION_IDLE_MS_DEFAULT, KAFKA_LISTENER_LIMITS } from './limits.js';
import type { KafkaApiRegistry } from './registry.js';
import { connectionCaller, type KafkaAuthenticationOptions } from './security/authentication.js';
import { SaslSession } from './security/sasl-session.js';

export interface KafkaConnectionLimits {
  /** connections.max.idle.ms: closed after this long with no byte received and nothing in flight. */
  readonly idleMs: number;
  readonly requestBytesMax: number;
  readonly inFlightBytesMax: number;
  readonly inFlightRequestsMax: number;
  readonly writeBufferBytesMax: number;
}

export const DEFAULT_CONNECTION_LIMITS: KafkaConnectionLimits = {
  idleMs: KAFKA_CONNECTION_IDLE_MS_DEFAULT,
  requestBytesMax: KAFKA_LIMITS.requestBytesMax,
  inFlightBytesMax: KAFKA_LISTENER_LIMITS.connectionInFlightBytesMax,
  inFlightRequestsMax: KAFKA_LISTENER_LIMITS.connectionInFlightRequestsMax,
  writeBufferBytesMax: KAFKA_LISTENER_LIMITS.connectionWriteBufferBytesMax,
};

/** A request read and not yet answered; `response` is set once its handler is done (null: no answer). */
interface Slot {
  readonly frameBytes: number;
  done: boolean;
  response: Buffer[] | null;
  /** The connection ends once this answer is written (a SASL error). */
  closeAfter: boolean;
}

export class KafkaConnection {
  readonly id: string;
  readonly #socket: Socket;
  readonly #registry: KafkaApiRegistry;
  readonly #logger: Logger;
  readonly #limits: KafkaConnectionLimits;
  readonly #splitter: FrameSplitter;
  readonly #clientHost: string;
  readonly #slots: Slot[] = [];
  #inFlightBytes = 0;
  /**
   * When a byte last arrived or a response was last written, on the monotonic clock (performance.now()): a
   * wall clock jumping forward must not make every connection look idle.
   */
  #lastActivityMs: number;
  #paused = false;
  #closed = false;
  readonly #sasl: SaslSession;
  /** A SASL error was answered or is being answered: no further request is read. */
  #ending = false;
  readonly #closedWaiters: Array<() => void> = [];
  /** Reading stops while a client quota's throttle time runs (KIP-219). */
  readonly #mute = new ConnectionMute(() => this.#maybeResume());

  constructor(options: {
    readonly id: string;
    readonly socket: Socket;
    readonly registry: KafkaApiRegistry;
    readonly logger: Logger;
    readonly limits?: KafkaConnectionLimits;
    readonly authentication: KafkaAuthenticationOptions;
    /** Whether the socket is TLS (PLAIN is offered only then). */
    readonly tls: boolean;
  }) {
    this.id = options.id;
    this.#socket = options.socket;
    this.#registry = options.registry;
    this.#limits = options.limits ?? DEFAULT_CONNECTION_LIMITS;
    this.#clientHost = options.socket.remoteAddress ?? 'unknown';
    this.#logger = options.logger.child({
      connection: this.id,
      client: `${this.#clientHost}:${options.socket.remotePort}`,
    });
    this.#splitter = new FrameSplitter(this.#limits.requestBytesMax);
    this.#sasl = new SaslSession({
      authentication: options.authentication,
      tls: options.tls,
      caller: connectionCaller(options.socket, options.authentication.principalMapping, this.#logger),
      logger: this.#logger,
      onTimeout: () => this.#socket.destroy(),
    });
    this.#socket.setNoDelay(true);
    this.#lastActivityMs = performance.now();
    this.#socket.on('data', (chunk: Buffer) => {
      this.#lastActivityMs = performance.now();
      this.#splitter.push(chunk);
      this.#readFrames();
    });
    this.#socket.on('drain', () => this.#maybeResume());
    this.#socket.on('error', (error) => this.#logger.debug({ err: error }, 'Kafka connection error'));
    this.#socket.on('close', () => this.#onClosed());
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Requests read and not yet answered. */
  get inFlightRequests(): number {
    return this.#slots.length;
  }

  /**
   * Closes the connection when it has been idle for the limit: nothing in flight and no byte for idleMs
   * (a half-sent frame included). Called by the listener's one sweep timer; returns whether it closed.
   */
  closeIfIdle(nowMs: number): boolean {
    if (this.#closed || this.#slots.length > 0 || nowMs - this.#lastActivityMs < this.#limits.idleMs)
      return false;
    const partial = this.#splitter.bufferedBytes;
    this.#logger.info(
      { idleMs: this.#limits.idleMs, partialFrameBytes: partial },
      'closing an idle Kafka connection',
    );
    this.#socket.destroy();
    return true;
  }

  /** Stops reading; answers what is in flight, then ends the connection (or destroys it after graceMs). */
  async close(graceMs: number): Promise<void> {
    if (this.#closed) return;
    this.#socket.pause();
    this.#paused = true;
    const closed = new Promise<void>((resolve) => this.#closedWaiters.push(resolve));
    if (this.#slots.length === 0) this.#socket.end();
    const timer = setTimeout(() => this.#socket.destroy(), graceMs);
    timer.unref();
    await closed;
    clearTimeout(timer);
  }

  #onClosed(): void {
    this.#closed = true;
    this.#mute.dispose();
    this.#sasl.dispose();
    for (const resolve of this.#closedWaiters.splice(0)) resolve();
  }

  #fail(reason: string, error: unknown): void {
    if (this.#closed) return;
    this.#logger.warn({ err: error }, `closing Kafka connection: ${reason}`);
    this.#socket.destroy();
  }

  #readFrames(): void {
    while (!this.#paused && !this.#closed && !this.#ending) {
      let frame: Buffer | null;
      try {
        frame = this.#splitter.next();
      } catch (error) {
        this.#fail('bad frame size', error);
        return;
      }
      if (frame === null) return;
      this.#accept(frame);
      if (this.#overLimits()) {
        this.#paused = true;
        this.#socket.pause();
      }
    }
  }

  #overLimits(): boolean {
    return (
      this.#mute.muted ||
      this.#inFlightBytes > this.#limits.inFlightBytesMax ||
      this.#slots.length >= this.#limits.inFlightRequestsMax ||
      this.#socket.writableLength > this.#limits.writeBufferBytesMax
    );
  }

  #maybeResume(): void {
    if (!this.#paused || this.#closed || this.#ending || this.#closedWaiters.length > 0 || this.#overLimits())
      return;
    this.#paused = false;
    this.#socket.resume();
    // Frames may already be buffered from before the pause.
    this.#readFrames();
  }

  #accept(frame: Buffer): void {
    let decoded: ReturnType<typeof decodeRequestFrame>;
    try {
      decoded = decodeRequestFrame(frame, this.#registry.codecApis);
    } catch (error) {
      this.#fail('malformed request', error);
      return;
    }
    const { header } = decoded;
    if (!this.#sasl.permits(header.apiKey)) {
      this.#fail(
        'a request before SASL authentication',
        new Error(`API key ${header.apiKey} before authentication (only ApiVersions and SASL are served)`),
      );
      return;
    }
    const slot: Slot = { frameBytes: frame.length, done: false, response: null, closeAfter: false };
    if (decoded.kind === 'unsupported') {
      if (header.apiKey !== API_VERSIONS_KEY) {
        const what =
          decoded.api === undefined
            ? `unknown API key ${header.apiKey}`
            : `${decoded.api.name} v${header.apiVersion}`;
        this.#fail(`${what} is not supported`, new Error(`${what} is not supported (see ApiVersions)`));
        return;
      }
      slot.done = true;
      slot.response = this.#registry.apiVersionsFallback(header.correlationId);
      this.#slots.push(slot);
      this.#flush();
      return;
    }
    const handler = this.#registry.handler(header.apiKey);
    if (handler === undefined) {
      this.#fail('no handler', new Error(`no handler for API key ${header.apiKey}`));
      return;
    }
    this.#slots.push(slot);
    this.#inFlightBytes += frame.length;
    const context: KafkaRequestContext = {
      header,
      clientHost: this.#clientHost,
      connectionId: this.id,
      logger: this.#logger,
      caller: this.#sasl.caller,
      sasl: this.#sasl,
    };
    handler.answer(decoded.body, context).then(
      (response) => {
        try {
          slot.response =
            response === null
              ? null
              : encodeResponseFrame(decoded.api, header.apiVersion, header.correlationId, response as never);
        } catch (error) {
          this.#fail(
            `could not encode the ${decoded.api.name} v${header.apiVersion} response (a bug)`,
            error,
          );
          return;
        }
        this.#muteForThrottle(response);
        slot.done = true;
        if (this.#sasl.closeRequested) {
          slot.closeAfter = true;
          this.#ending = true;
        }
        this.#flush();
      },
      (error: unknown) => this.#fail(`${decoded.api.name} v${header.apiVersion} failed unexpectedly`, error),
    );
  }

  /** A response carrying a throttle time mutes the connection for that long (Kafka's throttled channel). */
  #muteForThrottle(response: unknown): void {
    const throttleTimeMs = throttleTimeOf(response);
    if (throttleTimeMs === 0) return;
    this.#mute.muteFor(throttleTimeMs);
    this.#paused = true;
    this.#socket.pause();
  }

  /** Writes every answered response at the head of the queue, in order. */
  #flush(): void {
    if (this.#closed) return;
    let slot = this.#slots[0];
    while (slot?.done) {
      this.#slots.shift();
      this.#inFlightBytes -= slot.frameBytes;
      this.#lastActivityMs = performance.now();
      if (slot.response !== null) {
        this.#socket.cork();
        for (const chunk of slot.response) this.#socket.write(chunk);
        this.#socket.uncork();
      }
      if (slot.closeAfter) {
        // Kafka closes a connection whose SASL exchange failed, once the client has the answer.
        this.#slots.length = 0;
        this.#socket.end();
        return;
      }
      slot = this.#slots[0];
    }
    if (this.#closedWaiters.length > 0 && this.#slots.length === 0) this.#socket.end();
    else this.#maybeResume();
  }
}
