/**
 * TributaryError <-> gRPC status. The gRPC status code comes from the shared ERROR_CODES table; the
 * stable Tributary code and any leader hint travel in the trailers (see protos/tributary/v1/common.proto).
 */
import * as grpc from '@grpc/grpc-js';
import { ERROR_CODES, type ErrorCode, isErrorCode, type LeaderHint, TributaryError } from '@tributary/core';

export const ERROR_CODE_TRAILER = 'tributary-error-code';
export const LEADER_ID_TRAILER = 'tributary-leader-id';
export const LEADER_ADDRESS_TRAILER = 'tributary-leader-address';

/** What a server hands grpc-js to end a call with an error (grpc.ServerErrorResponse). */
export interface TributaryServiceError extends Error {
  readonly code: grpc.status;
  readonly details: string;
  readonly metadata: grpc.Metadata;
}

/** The subset of a client-side grpc.ServiceError that fromServiceError reads. */
export interface ServiceErrorLike {
  readonly code?: number;
  readonly details?: string;
  readonly message?: string;
  readonly metadata?: grpc.Metadata;
}

type GrpcStatusName = keyof typeof grpc.status;

/**
 * Most characters of a status's details sent. The details travel in the grpc-message trailer
 * (percent-encoded: up to 9 bytes per character), and an HTTP/2 peer drops the whole connection
 * when a header list passes its limit (16 KiB by default). Messages that echo client input, such
 * as a 100,000-character topic name, are therefore cut here; found by the gRPC fuzz suite.
 */
export const STATUS_DETAILS_CHARS_MAX = 1_000;

/** Cuts details to STATUS_DETAILS_CHARS_MAX, saying how much was cut. */
export function boundedDetails(text: string): string {
  if (text.length <= STATUS_DETAILS_CHARS_MAX) return text;
  const cut = text.length - STATUS_DETAILS_CHARS_MAX;
  return `${text.slice(0, STATUS_DETAILS_CHARS_MAX)}... (${cut} more characters cut)`;
}

function grpcStatusOf(code: ErrorCode): grpc.status {
  const name: GrpcStatusName = ERROR_CODES[code].grpc;
  return grpc.status[name];
}

function serviceError(code: grpc.status, details: string, metadata: grpc.Metadata): TributaryServiceError {
  return Object.assign(new Error(details), { code, details, metadata });
}

/**
 * Maps anything thrown by a handler to the status sent to the client. TributaryErrors keep their code
 * and leader hint; anything else (an AssertionError is a bug) becomes INTERNAL with code UNKNOWN and a
 * one-line message: stacks stay in the server's log, never on the wire.
 */
export function toServiceError(error: unknown): TributaryServiceError {
  const metadata = new grpc.Metadata();
  if (error instanceof TributaryError) {
    metadata.set(ERROR_CODE_TRAILER, error.code);
    if (error.leaderHint !== undefined) {
      metadata.set(LEADER_ID_TRAILER, String(error.leaderHint.id));
      metadata.set(LEADER_ADDRESS_TRAILER, error.leaderHint.address);
    }
    return serviceError(grpcStatusOf(error.code), boundedDetails(error.message), metadata);
  }
  metadata.set(ERROR_CODE_TRAILER, 'UNKNOWN');
  const details = error instanceof Error ? `${error.name}: ${error.message}` : `thrown: ${String(error)}`;
  return serviceError(grpc.status.INTERNAL, boundedDetails(firstLine(details)), metadata);
}

function firstLine(text: string): string {
  const newline = text.indexOf('\n');
  return newline === -1 ? text : text.slice(0, newline);
}

/** grpc-js transport details can span lines and end in an empty "Resolution note:"; errors are one line. */
function oneLine(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/ ?Resolution note:$/, '');
}

function trailer(metadata: grpc.Metadata | undefined, key: string): string | undefined {
  const value = metadata?.get(key)[0];
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : value.toString('utf8');
}

function leaderHintOf(metadata: grpc.Metadata | undefined): LeaderHint | undefined {
  const id = Number(trailer(metadata, LEADER_ID_TRAILER));
  const address = trailer(metadata, LEADER_ADDRESS_TRAILER);
  if (!Number.isSafeInteger(id) || id < 0 || address === undefined || address === '') return undefined;
  return { id, address };
}

/**
 * The Tributary code for a status that carries no `tributary-error-code` trailer: the transport
 * failed (peer down, deadline passed) or a non-Tributary server answered. Unreachable peers map to
 * LEADER_NOT_AVAILABLE, the retriable "try another node" code; core has no dedicated network code.
 */
function codeForPlainStatus(status: number | undefined): ErrorCode {
  switch (status) {
    case grpc.status.UNAVAILABLE:
      return 'LEADER_NOT_AVAILABLE';
    case grpc.status.DEADLINE_EXCEEDED:
      return 'REQUEST_TIMED_OUT';
    case grpc.status.RESOURCE_EXHAUSTED:
      return 'RESOURCE_EXHAUSTED';
    case grpc.status.INVALID_ARGUMENT:
      return 'INVALID_REQUEST';
    default:
      return 'UNKNOWN';
  }
}

/** Rebuilds the TributaryError a server sent (or classifies a transport failure); keeps `error` as cause. */
export function fromServiceError(error: ServiceErrorLike): TributaryError {
  const sentCode = trailer(error.metadata, ERROR_CODE_TRAILER);
  const code = sentCode !== undefined && isErrorCode(sentCode) ? sentCode : codeForPlainStatus(error.code);
  const details = oneLine(error.details ?? error.message ?? '');
  const statusName =
    error.code === undefined ? 'no status' : (grpc.status[error.code] ?? `status ${error.code}`);
  const message =
    sentCode === undefined
      ? `${statusName}: ${details || ERROR_CODES[code].message}`
      : details || ERROR_CODES[code].message;
  const leaderHint = leaderHintOf(error.metadata);
  return new TributaryError(
    code,
    message,
    leaderHint === undefined ? { cause: error } : { cause: error, leaderHint },
  );
}

/** Any rejection from a gRPC call or from our own code, as a TributaryError. */
export function asTributaryError(error: unknown): TributaryError {
  if (error instanceof TributaryError) return error;
  if (typeof error === 'object' && error !== null && 'code' in error && 'metadata' in error) {
    return fromServiceError(error as ServiceErrorLike);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new TributaryError('UNKNOWN', firstLine(message), { cause: error });
}
