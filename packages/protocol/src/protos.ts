/**
 * The wire contract (protos/tributary/v1/*.proto) at runtime: the objects @grpc/proto-loader makes with
 * LOADER_OPTIONS, built from the generated data of src/generated/proto-json.ts (proto-definition.ts says
 * why). The loader options here and the ones in scripts/gen-types.mjs must agree: the generated types in
 * src/generated describe exactly the objects this loader produces.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import type * as protoLoader from '@grpc/proto-loader';
import type { ProtoGrpcType as AuthProto } from './generated/auth.js';
import type { ProtoGrpcType as BrokerProto } from './generated/broker.js';
import type { ProtoGrpcType as ControllerProto } from './generated/controller.js';
import type { ProtoGrpcType as GroupProto } from './generated/group.js';
import type { ProtoGrpcType as RaftProto } from './generated/raft.js';
import type { ProtoGrpcType as ReplicationProto } from './generated/replication.js';
import type { ProtoGrpcType as TransactionsProto } from './generated/transactions.js';
import { loadGeneratedPackage } from './proto-definition.js';

/** How far up from this module the search for the repository's protos/ goes. */
const PROTO_ROOT_SEARCH_LEVELS_MAX = 6;

/**
 * The directory holding `tributary/v1/*.proto`: the nearest ancestor of this module's location with a
 * protos/tributary/v1 directory. This module is packages/protocol/src (vitest) or packages/protocol/dist
 * (compiled), three levels below the repository root, or inlined into a bin's bundle (a package's
 * dist/bundle, four levels below; see scripts/bundle-bin.mjs).
 */
function findProtoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let level = 0; level < PROTO_ROOT_SEARCH_LEVELS_MAX; level++) {
    const candidate = join(dir, 'protos');
    if (existsSync(join(candidate, 'tributary', 'v1'))) return candidate;
    dir = dirname(dir);
  }
  throw new Error(
    `no protos/tributary/v1 within ${PROTO_ROOT_SEARCH_LEVELS_MAX} levels of ${import.meta.url}`,
  );
}

export const PROTO_ROOT: string = findProtoRoot();

/** The proto files, relative to PROTO_ROOT, in a fixed order. */
export const PROTO_FILES: readonly string[] = readdirSync(join(PROTO_ROOT, 'tributary', 'v1'))
  .filter((name) => name.endsWith('.proto'))
  .sort()
  .map((name) => `tributary/v1/${name}`);

/**
 * uint64 fields arrive as JS numbers: every 64-bit quantity Tributary sends (offsets, terms, epochs)
 * stays far below 2^53, and the validation helpers assert safe integers where it matters.
 */
export const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: false,
  longs: Number,
  enums: String,
  bytes: Buffer,
  defaults: true,
  oneofs: true,
  includeDirs: [PROTO_ROOT],
};

/** The `tributary.v1` package: service client constructors (with `.service`) and message types. */
export type TributaryV1 = AuthProto['tributary']['v1'] &
  ControllerProto['tributary']['v1'] &
  RaftProto['tributary']['v1'] &
  BrokerProto['tributary']['v1'] &
  ReplicationProto['tributary']['v1'] &
  GroupProto['tributary']['v1'] &
  TransactionsProto['tributary']['v1'];

let cached: TributaryV1 | undefined;

/** Loads (once per process) and returns the typed `tributary.v1` package. */
export function loadTributaryProtos(): TributaryV1 {
  if (cached === undefined) {
    // The generated ProtoGrpcType is the documented shape of loadPackageDefinition's result, which
    // loadGeneratedPackage makes without parsing the .proto files.
    const root = loadGeneratedPackage(grpc, LOADER_OPTIONS, () => PROTO_FILES) as unknown as AuthProto &
      ControllerProto &
      RaftProto &
      BrokerProto &
      ReplicationProto &
      GroupProto &
      TransactionsProto;
    cached = root.tributary.v1;
  }
  return cached;
}
