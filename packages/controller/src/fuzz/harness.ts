/**
 * Test harness for the controller's gRPC fuzz suite: a raw client that sends arbitrary bytes as a
 * request, and the check every fuzzed call must pass (it ends before its deadline, with OK or a
 * TributaryError carrying a known code other than UNKNOWN, an unexpected server error). Mirrors
 * packages/broker/src/fuzz/harness.ts, which this package may not import.
 */
import * as grpc from '@grpc/grpc-js';
import { isErrorCode, TributaryError } from '@tributary/core';
import { asTributaryError, CHANNEL_OPTIONS, loadTributaryProtos } from '@tributary/protocol';
import fc from 'fast-check';

export const FUZZ_CALL_DEADLINE_MS = 10_000;

export class RawClient {
  private readonly client: grpc.Client;

  constructor(address: string) {
    this.client = new grpc.Client(address, grpc.credentials.createInsecure(), CHANNEL_OPTIONS);
  }

  call(path: string, body: Buffer): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      this.client.makeUnaryRequest(
        path,
        (b: Buffer) => b,
        (b: Buffer) => b,
        body,
        new grpc.Metadata(),
        { deadline: Date.now() + FUZZ_CALL_DEADLINE_MS },
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

/** Awaits a fuzzed call; true when it succeeded, false for a clean error, throws for anything else. */
export async function expectCleanOutcome(
  what: string,
  call: Promise<unknown>,
  allowed: (error: TributaryError) => boolean = () => false,
): Promise<boolean> {
  try {
    await call;
    return true;
  } catch (error) {
    if (!(error instanceof TributaryError)) {
      throw new Error(`${what}: rejected with a non-TributaryError: ${String(error)}`);
    }
    if (allowed(error)) return false;
    if (!isErrorCode(error.code) || error.code === 'UNKNOWN' || error.code === 'REQUEST_TIMED_OUT') {
      throw new Error(`${what}: unclean outcome ${error.code}: ${error.message}`);
    }
    if (error.message.trim() === '') throw new Error(`${what}: ${error.code} without a message`);
    return false;
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

export function isDeserializeError(error: TributaryError): boolean {
  return error.code === 'UNKNOWN' && error.message.includes('Error deserializing request');
}

/** fc.assert with the counterexample cut to a readable length (values can be 100 kB strings). */
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
