/**
 * A scripted TransactionCoordinatorPort for the Kafka handler tests: every call is recorded, and answers
 * what the test sets (a producer, an error to throw, transactions to describe and list). Imported only by
 * tests; the real coordinator is tested in packages/broker/src/txn.
 */
import { type ErrorCode, TributaryError } from '@tributary/core';
import type { CoordinatorAddress, TransactionCoordinatorPort } from '../../txn/ports.js';
import type {
  AddOffsetsRequest,
  AddPartitionsRequest,
  EndTxnRequest,
  InitProducerIdRequest,
  TxnDescribeResult,
  TxnListFilter,
  TxnListing,
} from '../../txn/txn-types.js';

export class FakeTransactions implements TransactionCoordinatorPort {
  readonly calls: { method: string; request: unknown }[] = [];
  /** Thrown by the next calls while set. */
  failWith: ErrorCode | null = null;
  coordinator: CoordinatorAddress = { nodeId: 1, address: 'host1:9092' };
  producer = { producerId: 7, producerEpoch: 2 };
  described: TxnDescribeResult[] = [];
  listed: TxnListing[] = [];

  #call(method: string, request: unknown): void {
    this.calls.push({ method, request });
    if (this.failWith !== null) throw new TributaryError(this.failWith, `scripted ${this.failWith}`);
  }

  async findCoordinator(transactionalId: string): Promise<CoordinatorAddress> {
    this.#call('findCoordinator', transactionalId);
    return this.coordinator;
  }

  async initProducerId(
    request: InitProducerIdRequest,
  ): Promise<{ producerId: number; producerEpoch: number }> {
    this.#call('initProducerId', request);
    return this.producer;
  }

  async addPartitionsToTxn(request: AddPartitionsRequest): Promise<void> {
    this.#call('addPartitionsToTxn', request);
  }

  async addOffsetsToTxn(request: AddOffsetsRequest): Promise<void> {
    this.#call('addOffsetsToTxn', request);
  }

  async endTxn(request: EndTxnRequest): Promise<void> {
    this.#call('endTxn', request);
  }

  async verifyPartitions(request: AddPartitionsRequest): Promise<(TributaryError | null)[]> {
    this.#call('verifyPartitions', request);
    return request.partitions.map(() => null);
  }

  describeTransactions(transactionalIds: readonly string[]): TxnDescribeResult[] {
    this.#call('describeTransactions', transactionalIds);
    return this.described;
  }

  listTransactions(filter: TxnListFilter): TxnListing[] {
    this.#call('listTransactions', filter);
    return this.listed;
  }
}
