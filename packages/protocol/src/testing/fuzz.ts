/**
 * Shared by the gRPC fuzz suites of the broker and the controller (`@tributary/protocol/testing/fuzz`): a raw
 * client that sends arbitrary bytes as a request, the check every fuzzed call must pass (it ends before its
 * deadline, with OK or a TributaryError carrying a known code other than UNKNOWN), request serialization, and
 * fc.assert with a readable report. Test-only: it needs fast-check, a development dependency.
 */
import * as grpc from '@grpc/grpc-js';
import { isErrorCode, TributaryError } from '@tributary/core';
import fc from 'fast-check';
import { CHANNEL_OPTIONS } from '../channel.js';
import { asTributaryError } from '../errors.js';
import { loadTributaryProtos } from '../protos.js';

/** Every fuzzed call gets this long; reaching it counts as a hang. */
export const FUZZ_CALL_DEADLINE_MS = 10_000;

/** A client for any method path that sends and receives raw bytes (no protobuf on this side). */
export class RawClient {
  private readonly client: grpc.Client;

  constructor(address: string) {
    this.client = new grpc.Client(address, grpc.credentials.createInsecure(), CHANNEL_OPTIONS);
  }

  call(path: string, body: Buffer, deadlineMs = FUZZ_CALL_DEADLINE_MS): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      this.client.makeUnaryRequest(
        path,
        (b: Buffer) => b,
        (b: Buffer) => b,
        body,
        new grpc.Metadata(),
        { deadline: Date.now() + deadlineMs },
        (error, response) => {
          if (error !== null) reject(asTributaryError(error));
          else resolve(response ?? Buffer.alloc(0));
        },
      );
    });
  }

  close(): void {
    this.client.close();
  }
}

export type Outcome =
  | { readonly ok: true }
  | { readonly ok: false; readonly code: string; readonly message: string };

/**
 * Awaits a fuzzed call and throws (failing the property) unless it ended cleanly: OK, or a
 * TributaryError with a known code other than UNKNOWN (an unexpected server error, i.e. a bug) or
 * REQUEST_TIMED_OUT (the deadline passed: a hang), and a message. `allowed` admits extra outcomes,
 * e.g. grpc-js' own "Error deserializing request" for raw bytes.
 */
export async function expectCleanOutcome(
  what: string,
  call: Promise<unknown>,
  allowed: (error: TributaryError) => boolean = () => false,
): Promise<Outcome> {
  try {
    await call;
    return { ok: true };
  } catch (error) {
    if (!(error instanceof TributaryError))
      throw new Error(`${what}: rejected with a non-TributaryError: ${String(error)}`);
    if (allowed(error)) return { ok: false, code: error.code, message: error.message };
    if (!isErrorCode(error.code) || error.code === 'UNKNOWN' || error.code === 'REQUEST_TIMED_OUT') {
      throw new Error(`${what}: unclean outcome ${error.code}: ${error.message}`);
    }
    if (error.message.trim() === '') throw new Error(`${what}: ${error.code} without a message`);
    return { ok: false, code: error.code, message: error.message };
  }
}

/** The protobuf encoding of `request` for `service`.`method`, as a generated client would send it. */
export function serializeRequest(service: string, method: string, request: unknown): Buffer {
  const protos = loadTributaryProtos() as unknown as Record<
    string,
    grpc.ServiceClientConstructor | undefined
  >;
  const definition = protos[service]?.service[method];
  if (definition === undefined) throw new Error(`no method ${service}.${method}`);
  return definition.requestSerialize(request);
}

/** grpc-js answers bytes that are not a valid protobuf message with INTERNAL "Error deserializing request". */
export function isDeserializeError(error: TributaryError): boolean {
  return error.code === 'UNKNOWN' && error.message.includes('Error deserializing request');
}

/**
 * fc.assert with a short report: fuzzed values can be 100 kB strings or 12,000-element lists, so the
 * counterexample is cut to a readable length; the seed and path replay the failure.
 */
export async function assertProperty(
  property: fc.IAsyncProperty<[unknown]> | fc.IAsyncPropertyWithHooks<[unknown]>,
  numRuns: number,
): Promise<void> {
  const details = await fc.check(property, { numRuns, endOnFailure: true });
  if (!details.failed) return;
  const example = fc.stringify(details.counterexample).slice(0, 600);
  const error =
    details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  throw new Error(
    `property failed after ${details.numRuns} runs (seed ${details.seed}, path "${details.counterexamplePath}"): ${error.slice(0, 400)}\n  counterexample: ${example}`,
  );
}

/** The services and methods a suite fuzzes, by proto service name. */
export type FuzzedServices = readonly { readonly service: string; readonly methods: readonly string[] }[];

/**
 * Raw request bodies for every listed method: random bytes, or a valid encoding of one of `requests[method]`
 * cut short or with one byte flipped. Each comes with the method's path.
 */
export function rawRequestBodies(
  services: FuzzedServices,
  requests: Readonly<Record<string, fc.Arbitrary<unknown>>>,
): fc.Arbitrary<{ path: string; bytes: Buffer }> {
  const pathOf = (service: string, method: string) => `/tributary.v1.${service}/${method}`;
  const random = fc.record({
    path: fc.constantFrom(
      ...services.flatMap(({ service, methods }) => methods.map((m) => pathOf(service, m))),
    ),
    bytes: fc.uint8Array({ maxLength: 512 }).map((a) => Buffer.from(a)),
  });
  const damagedEncodings = services.flatMap(({ service, methods }) =>
    methods.map((method) => {
      const request = requests[method];
      if (request === undefined) throw new Error(`no request arbitrary for ${service}.${method}`);
      return fc
        .tuple(request, fc.nat(), fc.integer({ min: 1, max: 255 }), fc.boolean())
        .map(([value, at, xor, truncate]) => {
          const bytes = serializeRequest(service, method, value);
          const position = bytes.length === 0 ? 0 : at % bytes.length;
          if (truncate) return { path: pathOf(service, method), bytes: bytes.subarray(0, position) };
          if (bytes.length > 0) bytes.writeUInt8((bytes.readUInt8(position) ^ xor) & 0xff, position);
          return { path: pathOf(service, method), bytes };
        });
    }),
  );
  return fc.oneof(random, ...damagedEncodings);
}
