/**
 * Cuts a TCP byte stream into Kafka frames (int32 size, then that many bytes). Pure and bounded: a size
 * that is negative or over the request bound is refused before any byte of the frame is buffered, as
 * Kafka's SocketServer refuses it with an InvalidReceiveException.
 */
import { FRAME_SIZE_BYTES } from '@tributary/kafka-protocol';

export class FrameSizeError extends Error {
  override readonly name = 'FrameSizeError';
}

/** The smallest request: api key, api version and correlation id (8 bytes) and a client id length. */
const REQUEST_BYTES_MIN = 10;

export class FrameSplitter {
  readonly #maxFrameBytes: number;
  #chunks: Buffer[] = [];
  #buffered = 0;
  /** Size of the frame being read, once its prefix is complete; -1 before. */
  #frameBytes = -1;

  constructor(maxFrameBytes: number) {
    this.#maxFrameBytes = maxFrameBytes;
  }

  /** Bytes received but not yet returned as frames. */
  get bufferedBytes(): number {
    return this.#buffered;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.#chunks.push(chunk);
    this.#buffered += chunk.length;
  }

  /** The next complete frame (without its size prefix), or null until more bytes arrive. */
  next(): Buffer | null {
    if (this.#frameBytes === -1) {
      if (this.#buffered < FRAME_SIZE_BYTES) return null;
      const size = this.#take(FRAME_SIZE_BYTES).readInt32BE(0);
      if (size < REQUEST_BYTES_MIN || size > this.#maxFrameBytes) {
        throw new FrameSizeError(
          `frame size ${size} is outside [${REQUEST_BYTES_MIN}, ${this.#maxFrameBytes}] (socket.request.max.bytes)`,
        );
      }
      this.#frameBytes = size;
    }
    if (this.#buffered < this.#frameBytes) return null;
    const frame = this.#take(this.#frameBytes);
    this.#frameBytes = -1;
    return frame;
  }

  /** Removes and returns the first `bytes` buffered bytes (a view when they lie in one chunk). */
  #take(bytes: number): Buffer {
    const first = this.#chunks[0];
    if (first !== undefined && first.length >= bytes) {
      this.#buffered -= bytes;
      if (first.length === bytes) this.#chunks.shift();
      else this.#chunks[0] = first.subarray(bytes);
      return first.subarray(0, bytes);
    }
    const out = Buffer.allocUnsafe(bytes);
    let filled = 0;
    while (filled < bytes) {
      const chunk = this.#chunks[0];
      if (chunk === undefined) throw new RangeError('frame splitter ran out of buffered bytes');
      const used = Math.min(chunk.length, bytes - filled);
      chunk.copy(out, filled, 0, used);
      filled += used;
      if (used === chunk.length) this.#chunks.shift();
      else this.#chunks[0] = chunk.subarray(used);
    }
    this.#buffered -= bytes;
    return out;
  }
}
