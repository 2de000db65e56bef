/**
 * The group coordinator's side of transactions (KIP-98, KIP-447), beside its shell: TxnOffsetCommit writes
 * the offsets as the producer's transactional batch to the group's __consumer_offsets partition (acks=all,
 * origin 'coordinator': the epoch is fenced, the sequence is not checked) and keeps them pending; the
 * marker the transaction coordinator writes to that partition then materializes (COMMIT) or drops (ABORT)
 * them. Loading replays the same records and markers (loader.ts), so a new coordinator agrees.
 *
 * Order follows the log: a marker acknowledged while the producer's offsets write is still in flight (a
 * transaction the coordinator timed out) is applied after that write settles, as the log has it after
 * the offsets; a marker acknowledged while the shard loads is applied after the load.
 */
import type { Clock } from '@tributary/core';
import type { ProducePartitionResult, ProduceRequest__Output } from '@tributary/protocol';
import type { Logger } from 'pino';
import type { TxnMarkerListener } from '../txn/ports.js';
import { GROUP_LIMITS, OFFSETS_TOPIC } from './limits.js';
import { appendOffsetsRecords, type OffsetsRecord } from './offsets-topic.js';
import type { CoordinatorShard } from './shard.js';
import { checkPendingRoom, type TxnOffsetCommitInput, validateTxnCommitMember } from './txn-offsets.js';

export interface TxnOffsetsShellDeps {
  /** The active shard of the group (throws NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS, ...). */
  readonly shardFor: (groupId: string) => CoordinatorShard;
  /** The shard of the partition this broker leads right now, whatever its state. */
  readonly shardOf: (partition: number) => CoordinatorShard | undefined;
  /** Drops the shard and loads the partition again (the log holds what the shard missed). */
  readonly reload: (shard: CoordinatorShard) => void;
  /** Produce with origin 'coordinator'. */
  readonly produce: (request: ProduceRequest__Output) => Promise<ProducePartitionResult[]>;
  readonly clock: Clock;
  readonly logger: Logger;
}

export class TxnOffsetsShell implements TxnMarkerListener {
  readonly #deps: TxnOffsetsShellDeps;
  /** Per shard: the producers' offsets writes not yet settled. */
  readonly #inFlight = new WeakMap<CoordinatorShard, Map<number, Promise<void>>>();

  constructor(deps: TxnOffsetsShellDeps) {
    this.#deps = deps;
  }

  /** TxnOffsetCommit: fenced as the group's protocol fences commits, then written as pending offsets. */
  async commit(input: TxnOffsetCommitInput): Promise<void> {
    const shard = this.#deps.shardFor(input.groupId);
    validateTxnCommitMember(shard, input, this.#deps.clock.nowMs());
    shard.checkRoomFor(input.groupId);
    checkPendingRoom(shard, input.producerId);
    if (input.commits.length === 0) return;
    const commitTimestampMs = this.#deps.clock.wallMs();
    const records: OffsetsRecord[] = input.commits.map((commit) => ({
      key: { group: input.groupId, topic: commit.topic, partition: commit.partition },
      value: {
        offset: commit.offset,
        leaderEpoch: commit.leaderEpoch,
        metadata: commit.metadata,
        commitTimestampMs,
      },
    }));
    const producer = { producerId: input.producerId, producerEpoch: input.producerEpoch };
    const write = appendOffsetsRecords(
      this.#deps.produce,
      this.#deps.clock,
      shard.partition,
      records,
      producer,
    );
    const settled = write.then(
      () => undefined,
      () => undefined,
    );
    const inFlight = this.#inFlightOf(shard);
    const previous = inFlight.get(input.producerId);
    const chained = previous === undefined ? settled : Promise.all([previous, settled]).then(() => undefined);
    inFlight.set(input.producerId, chained);
    try {
      const baseOffset = await write;
      // A shard replaced meanwhile reloads from the log, which now holds these records.
      if (this.#deps.shardOf(shard.partition) !== shard || shard.state !== 'active') return;
      records.forEach((record, i) => {
        shard.offsets.apply(record.key, record.value, {
          recordOffset: baseOffset + i,
          producerId: input.producerId,
        });
      });
    } finally {
      if (inFlight.get(input.producerId) === chained) inFlight.delete(input.producerId);
    }
  }

  /** TxnMarkerListener: a marker was written (acks=all) to a partition of __consumer_offsets led here. */
  onMarkerWritten(
    topic: string,
    partition: number,
    producerId: number,
    _producerEpoch: number,
    commit: boolean,
  ): void {
    if (topic !== OFFSETS_TOPIC) return;
    const shard = this.#deps.shardOf(partition);
    if (shard === undefined || shard.state === 'closed') return;
    if (shard.state === 'loading') {
      if (shard.markersWhileLoading.length >= GROUP_LIMITS.pendingTxnProducersPerShardMax) {
        this.#deps.logger.warn({ partition }, 'too many markers during a load; loading again');
        this.#deps.reload(shard);
        return;
      }
      shard.markersWhileLoading.push({ producerId, commit });
      return;
    }
    const writing = this.#inFlight.get(shard)?.get(producerId);
    if (writing === undefined) {
      this.#complete(shard, producerId, commit);
      return;
    }
    void writing.then(() => {
      if (this.#deps.shardOf(partition) === shard && shard.state === 'active') {
        this.#complete(shard, producerId, commit);
      }
    });
  }

  /** The shard finished loading: the markers written meanwhile are applied now. */
  onShardLoaded(shard: CoordinatorShard): void {
    for (const { producerId, commit } of shard.markersWhileLoading.splice(0)) {
      this.#complete(shard, producerId, commit);
    }
  }

  #complete(shard: CoordinatorShard, producerId: number, commit: boolean): void {
    const materialized = shard.offsets.completeTransaction(producerId, commit);
    if (materialized > 0) {
      this.#deps.logger.debug(
        { partition: shard.partition, producerId, materialized },
        'transactional offsets committed',
      );
    }
  }

  #inFlightOf(shard: CoordinatorShard): Map<number, Promise<void>> {
    let inFlight = this.#inFlight.get(shard);
    if (inFlight === undefined) {
      inFlight = new Map();
      this.#inFlight.set(shard, inFlight);
    }
    return inFlight;
  }
}
