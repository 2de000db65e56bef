/**
 * A TCP proxy in front of a Kafka listener that records every frame both ways, so that golden bytes are
 * captured from real clients talking to a real broker (STYLE: "golden bytes captured from real clients,
 * not typed by hand"). Requests are matched to responses by connection and correlation id, which tells
 * each response's API key and version (a response frame names neither).
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface CapturedExchange {
  readonly connection: number;
  readonly apiKey: number;
  readonly apiVersion: number;
  readonly correlationId: number;
  /** The whole request frame, size prefix included. */
  readonly request: Buffer;
  /** The whole response frame, or null (Produce with acks=0, or the connection ended first). */
  response: Buffer | null;
}

/** Frames are bounded like the broker's: a proxy that buffered without limit could be made to. */
const FRAME_BYTES_MAX = 100 * 1024 * 1024;

/** Cuts a byte stream into whole frames (size prefix kept). */
class Framer {
  #buffer: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Buffer[] {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    const frames: Buffer[] = [];
    while (this.#buffer.length >= 4) {
      const size = this.#buffer.readInt32BE(0);
      if (size < 0 || size > FRAME_BYTES_MAX) throw new RangeError(`frame size ${size}`);
      if (this.#buffer.length < 4 + size) break;
      frames.push(Buffer.from(this.#buffer.subarray(0, 4 + size)));
      this.#buffer = this.#buffer.subarray(4 + size);
    }
    return frames;
  }
}

export class RecordingProxy {
  readonly exchanges: CapturedExchange[] = [];
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  #target: { host: string; port: number } | null = null;
  #connections = 0;

  private constructor(server: Server) {
    this.#server = server;
  }

  static async start(): Promise<RecordingProxy> {
    const server = createServer();
    const proxy = new RecordingProxy(server);
    server.on('connection', (client) => proxy.#accept(client));
    await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
    return proxy;
  }

  get port(): number {
    const address = this.#server.address();
    return typeof address === 'object' && address !== null ? address.port : -1;
  }

  /** Where connections go (set once the broker's Kafka port is known). */
  target(host: string, port: number): void {
    this.#target = { host, port };
  }

  #accept(client: Socket): void {
    const target = this.#target;
    if (target === null) {
      client.destroy();
      return;
    }
    const connection = this.#connections++;
    const upstream = connect(target);
    this.#sockets.add(client);
    this.#sockets.add(upstream);
    const pending = new Map<number, CapturedExchange>();
    const requests = new Framer();
    const responses = new Framer();
    client.on('data', (chunk: Buffer) => {
      for (const frame of requests.push(chunk)) {
        const exchange: CapturedExchange = {
          connection,
          apiKey: frame.readInt16BE(4),
          apiVersion: frame.readInt16BE(6),
          correlationId: frame.readInt32BE(8),
          request: frame,
          response: null,
        };
        this.exchanges.push(exchange);
        pending.set(exchange.correlationId, exchange);
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      for (const frame of responses.push(chunk)) {
        const exchange = pending.get(frame.readInt32BE(4));
        if (exchange !== undefined) {
          exchange.response = frame;
          pending.delete(exchange.correlationId);
        }
      }
      client.write(chunk);
    });
    const end = (): void => {
      client.destroy();
      upstream.destroy();
      this.#sockets.delete(client);
      this.#sockets.delete(upstream);
    };
    client.on('close', end);
    upstream.on('close', end);
    client.on('error', end);
    upstream.on('error', end);
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
