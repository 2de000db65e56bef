/**
 * The native compression libraries (snappy, lz4-napi, @toondepauw/node-zstd), each loaded on its first use
 * rather than with this package. Each is a native addon whose load maps a shared library and runs its
 * initialisers: ≈ 30–50 ms and ≈ 9–12 MB of RSS apiece on this 2-core machine (issue 15, measured with
 * `node -e "await import(...)"` and process.memoryUsage()), paid by every process that imports
 * @tributary/records, while a broker whose clients send uncompressed batches never calls them. The
 * first compressed batch pays the load once (synchronously: the codecs' callers are synchronous).
 * gzip is node:zlib, part of node itself, so it needs no such care.
 */
import { createRequire } from 'node:module';
import type * as Zstd from '@toondepauw/node-zstd';
import type * as Lz4 from 'lz4-napi';
import type * as Snappy from 'snappy';

const require = createRequire(import.meta.url);

let snappy: typeof Snappy | undefined;
let lz4: typeof Lz4 | undefined;
let zstd: { readonly encoder: Zstd.Encoder; readonly decoder: Zstd.Decoder } | undefined;

export function snappyCodec(): typeof Snappy {
  snappy ??= require('snappy') as typeof Snappy;
  return snappy;
}

export function lz4Codec(): typeof Lz4 {
  lz4 ??= require('lz4-napi') as typeof Lz4;
  return lz4;
}

/**
 * One encoder (at `level`, fixed by the first call) and one decoder for the process, both synchronous and
 * stateless between calls.
 */
export function zstdCodec(level: number): { readonly encoder: Zstd.Encoder; readonly decoder: Zstd.Decoder } {
  if (zstd === undefined) {
    const { Decoder, Encoder } = require('@toondepauw/node-zstd') as typeof Zstd;
    zstd = { encoder: new Encoder(level), decoder: new Decoder() };
  }
  return zstd;
}
