/**
 * A minimal Kafka client over a raw socket for the listener's own tests and fuzzing: it sends frames
 * built by the codec (or arbitrary bytes) and reads back response frames in order. Real-client tests
 * use kcat, KafkaJS and @platformatic/kafka instead.
 */
import { connect, type Socket } from 'node:net';
import { type ConnectionOptions, connect as connectTls } from 'node:tls';
import {
  type ApiDefinition,
  decodeResponseFrame,
  encodeRequestFrame,
  type RequestInputOf,
  type ResponseOf,
} from '@tributary/kafka-protocol';

const RESPONSE_BYTES_MAX = 256 * 1024 * 1024;

export class RawKafkaClient {
  readonly #socket: Socket;
  #buffer: Buffer = Buffer.alloc(0);
  readonly #waiters: Array<{ resolve: (frame: Buffer) => void; reject: (error: Error) => void }> = [];
  readonly #frames: Buffer[] = [];
  #closedError: Error | null = null;
  #nextCorrelationId = 1;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('error', () => {});
    socket.on('close', () => {
      this.#closedError = new Error('connection closed by the broker');
      for (const waiter of this.#waiters.splice(0)) waiter.reject(this.#closedError);
    });
  }

  static async connect(port: number, host = '127.0.0.1'): Promise<RawKafkaClient> {
    const socket = connect({ port, host });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new RawKafkaClient(socket);
  }

  /** Over TLS (`options`: ca, cert, key, servername...); resolves once the client's handshake is done. */
  static async connectTls(
    port: number,
    options: ConnectionOptions,
    host = '127.0.0.1',
  ): Promise<RawKafkaClient> {
    const socket = connectTls({ port, host, ...options });
    await new Promise<void>((resolve, reject) => {
      socket.once('secureConnect', resolve);
      socket.once('error', reject);
    });
    return new RawKafkaClient(socket);
  }

  get closed(): boolean {
    return this.#closedError !== null;
  }

  #onData(chunk: Buffer): void {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    while (this.#buffer.length >= 4) {
      const size = this.#buffer.readInt32BE(0);
      if (size < 0 || size > RESPONSE_BYTES_MAX) throw new RangeError(`bad response size ${size}`);
      if (this.#buffer.length < 4 + size) return;
      const frame = this.#buffer.subarray(4, 4 + size);
      this.#buffer = this.#buffer.subarray(4 + size);
      const waiter = this.#waiters.shift();
      if (waiter === undefined) this.#frames.push(frame);
      else waiter.resolve(frame);
    }
  }

  /** Sends raw bytes (fuzzing). */
  write(bytes: Buffer): void {
    this.#socket.write(bytes);
  }

  /** The next response frame (without its size prefix). */
  nextFrame(timeoutMs = 10_000): Promise<Buffer> {
    const ready = this.#frames.shift();
    if (ready !== undefined) return Promise.resolve(ready);
    if (this.#closedError !== null) return Promise.reject(this.#closedError);
    return new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no response within ${timeoutMs} ms`)), timeoutMs);
      this.#waiters.push({
        resolve: (frame) => {
          clearTimeout(timer);
          resolve(frame);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
    });
  }

  /** Sends a request without waiting; returns its correlation id. */
  send<A extends ApiDefinition>(
    api: A,
    version: number,
    body: RequestInputOf<A>,
    clientId = 'raw-test',
  ): number {
    const correlationId = this.#nextCorrelationId++;
    this.#socket.write(encodeRequestFrame(api, version, { correlationId, clientId }, body as never));
    return correlationId;
  }

  async request<A extends ApiDefinition>(
    api: A,
    version: number,
    body: RequestInputOf<A>,
  ): Promise<ResponseOf<A>> {
    const correlationId = this.send(api, version, body);
    const { correlationId: answered, body: response } = decodeResponseFrame(
      api,
      version,
      await this.nextFrame(),
    );
    if (answered !== correlationId) throw new Error(`correlation id ${answered}, expected ${correlationId}`);
    return response as ResponseOf<A>;
  }

  /** Resolves once the broker has closed the connection (or rejects after timeoutMs). */
  async waitClosed(timeoutMs = 5_000): Promise<void> {
    if (this.#closedError !== null) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`still open after ${timeoutMs} ms`)), timeoutMs);
      this.#socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  close(): void {
    this.#socket.destroy();
  }
}
