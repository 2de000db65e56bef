/**
 * "Decide, then replay" (Kafka's QuorumController): a command is a pure function of the current image,
 * its request and injected context. It returns the records to append and the response to send, or throws
 * a TributaryError naming what is wrong with the request. It never changes state itself: state changes
 * when the records are committed and replayed, on the active and the standby controllers alike.
 *
 * The caller's duties, in order: append `records` (atomically: one command's records go in one Raft
 * entry), wait for them to commit, replay them, and only then send `response`. An empty `records`
 * list needs no append; the response can go at once.
 */
import type { Random } from '@tributary/core';
import type { MetadataRecord } from '@tributary/metadata';

export interface ControlResult<Response> {
  readonly records: MetadataRecord[];
  readonly response: Response;
}

/** What commands may use besides the image; all of it injected so decisions replay from a seed. */
export interface ControllerContext {
  readonly random: Random;
  /** Monotonic time of the decision (for lease-related decisions and logs). */
  readonly nowMs: number;
  /** A fresh topic id (a UUID in production, a counter in tests). */
  newTopicId(): string;
  /** Used when a CreateTopic request leaves the replication factor out. */
  readonly defaultReplicationFactor: number;
  /** Used when a CreateTopic request leaves the partition count out. */
  readonly defaultPartitions: number;
}
