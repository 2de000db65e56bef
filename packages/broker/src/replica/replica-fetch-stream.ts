/**
 * The follower's end of ReplicaFetchStream (issue 15): one long-lived call to a leader carrying one fetch
 * request at a time, each answered before the next is sent (the next request acknowledges the answer's data
 * by its fetch offsets). Costs a message each way per round instead of a unary call. A broken stream fails
 * the request under way with the transport's error (so the fetcher backs off and reports an unreachable
 * leader as it did for a failed unary call) and the next request opens a new stream.
 */
import * as grpc from '@grpc/grpc-js';
import { assert, TributaryError } from '@tributary/core';
import {
  asTributaryError,
  fromStreamAnswerError,
  type ReplicaFetchRequest,
  type ReplicaFetchResponse__Output,
  type ReplicaFetchStreamResponse__Output,
  type ReplicationClient,
} from '@tributary/protocol';

type FetchCall = grpc.ClientDuplexStream<ReplicaFetchRequest, ReplicaFetchStreamResponse__Output>;

interface Waiting {
  readonly resolve: (response: ReplicaFetchResponse__Output) => void;
  readonly reject: (error: TributaryError) => void;
  readonly timer: NodeJS.Timeout;
}

export class ReplicaFetchStream {
  private call: FetchCall | null = null;
  private waiting: Waiting | null = null;

  /** `client` is owned by the caller (shared per leader address): never closed here. */
  constructor(private readonly client: ReplicationClient) {}

  /**
   * Sends one request and resolves with its answer; rejects with the leader's error for the request (the
   * stream stays open) or with the stream's failure (it is dropped). Past `deadlineMs` the stream is
   * cancelled: its late answer could otherwise be taken for the next request's.
   */
  fetch(request: ReplicaFetchRequest, deadlineMs: number): Promise<ReplicaFetchResponse__Output> {
    assert(this.waiting === null, 'a replica fetch stream carries one request at a time');
    assert(deadlineMs > 0, () => `deadlineMs must be positive, got ${deadlineMs}`);
    const call = this.call ?? this.open();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.drop(
          call,
          new TributaryError('REQUEST_TIMED_OUT', `no replica fetch answer in ${deadlineMs} ms`),
        );
      }, deadlineMs);
      this.waiting = { resolve, reject, timer };
      call.write(request);
    });
  }

  /** Cancels the stream; a request under way rejects. */
  close(): void {
    if (this.call !== null) {
      this.drop(this.call, new TributaryError('UNKNOWN', 'replica fetch stream closed'));
    }
  }

  private open(): FetchCall {
    const call = this.client.replicaFetchStream();
    call.on('data', (answer: ReplicaFetchStreamResponse__Output) => this.answer(call, answer));
    call.on('error', (error: unknown) => this.drop(call, asTributaryError(error)));
    call.on('end', () => {
      this.drop(
        call,
        new TributaryError('LEADER_NOT_AVAILABLE', 'the leader ended the replica fetch stream'),
      );
    });
    this.call = call;
    return call;
  }

  private answer(call: FetchCall, answer: ReplicaFetchStreamResponse__Output): void {
    if (call !== this.call) return;
    const waiting = this.takeWaiting();
    if (waiting === null) {
      this.drop(call, new TributaryError('UNKNOWN', 'replica fetch answer without a request'));
      return;
    }
    if (answer.errorCode !== '') waiting.reject(fromStreamAnswerError(answer));
    else if (answer.response === null) {
      waiting.reject(new TributaryError('UNKNOWN', 'replica fetch answer with neither response nor error'));
    } else waiting.resolve(answer.response);
  }

  /** Fails the request under way on `call` and forgets the call (events of an older call are ignored). */
  private drop(call: FetchCall, error: TributaryError): void {
    if (call !== this.call) return;
    this.call = null;
    call.cancel();
    this.takeWaiting()?.reject(error);
  }

  private takeWaiting(): Waiting | null {
    const waiting = this.waiting;
    this.waiting = null;
    if (waiting !== null) clearTimeout(waiting.timer);
    return waiting;
  }
}

/** Whether a call failed because the server does not offer the method (a leader of an older version). */
export function isUnimplemented(error: unknown): boolean {
  const cause = error instanceof TributaryError ? error.cause : error;
  return (
    typeof cause === 'object' && cause !== null && 'code' in cause && cause.code === grpc.status.UNIMPLEMENTED
  );
}
