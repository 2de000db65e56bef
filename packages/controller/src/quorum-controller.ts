/**
 * The quorum controller (KRaft's QuorumController): the state machine every controller replays, and on
 * the Raft leader the active controller that decides commands.
 *
 * - `committed`: the image built by replaying committed entries (each 'normal' entry is one command's
 *   batch of encoded records, see entry-batch.ts). Standbys serve reads from it.
 * - `speculative` (active controller only): committed + the records decided but not yet committed, so
 *   each command decides against the latest state without waiting for the previous one to commit.
 *   Discarded on leadership loss; rebuilt from `committed` when this node becomes active again.
 *
 * A new leader is active only once its own no-op ('leader-change' entry of its term) is applied: every
 * earlier entry is then in `committed`, so decisions never miss a committed record (Raft §8).
 */
import { assert, type LeaderHint, TributaryError } from '@tributary/core';
import {
  decodeRecord,
  decodeSnapshot,
  encodeRecord,
  encodeSnapshot,
  MetadataDelta,
  MetadataImage,
  type MetadataRecord,
  SnapshotEncoder,
} from '@tributary/metadata';
import type { Entry, Snapshot } from '@tributary/raft';
import type { Logger } from 'pino';
import type { VoterAddress } from './config.js';
import { decodeEntryBatch, encodeEntryBatch } from './entry-batch.js';
import type { RaftDriver, SnapshotWork, StateMachine } from './raft-host/driver.js';

/**
 * Records encoded per slice of a background snapshot (a few milliseconds): a whole 100,000-partition image
 * at once is half a second of CPU, longer than an election timeout.
 */
export const SNAPSHOT_RECORDS_PER_SLICE = 2_000;

/** Commands decided but not yet committed; beyond it commands are refused with RESOURCE_EXHAUSTED. */
export const COMMANDS_IN_FLIGHT_MAX = 10_000;

export interface Decision<R> {
  readonly records: readonly MetadataRecord[];
  readonly response: R;
}

export interface QuorumControllerOptions {
  readonly voters: readonly VoterAddress[];
  readonly logger: Logger;
}

export type ActivationListener = (active: boolean) => void;

interface ProposedImage {
  readonly term: number;
  readonly data: Uint8Array;
  readonly image: MetadataImage;
}

export class QuorumController implements StateMachine {
  private committedImage: MetadataImage = MetadataImage.EMPTY;
  private appliedIndexValue = 0;
  private speculative: MetadataImage | null = null;
  /** The term in which this node became active (its no-op applied); null when not active. */
  private activeTerm: number | null = null;
  private inFlight = 0;
  /** A proposal failed while still leader: rebuild the speculative image once nothing is in flight. */
  private speculativeStale = false;
  private driver: RaftDriver | undefined;
  /**
   * The images this active controller built for its own proposals, by log index. When such an entry
   * commits (same index, same term, the very bytes proposed), the committed image is the one already built
   * rather than a second decode and replay of the same records: in its own term the leader's log after its
   * no-op holds only what it appended, each built on the image before it (Kafka's active controller
   * likewise replays a record once). Cleared when this node stops being active or restores a snapshot.
   */
  private readonly proposedImages = new Map<number, ProposedImage>();
  private readonly commitListeners = new Set<(appliedIndex: number) => void>();
  private readonly activationListeners = new Set<ActivationListener>();

  constructor(private readonly options: QuorumControllerOptions) {}

  attach(driver: RaftDriver): void {
    assert(this.driver === undefined, 'quorum controller attached twice');
    this.driver = driver;
    driver.onLeaderChange((change) => {
      if (this.activeTerm !== null && (!change.isLeader || change.term !== this.activeTerm))
        this.deactivate();
    });
  }

  get committed(): MetadataImage {
    return this.committedImage;
  }

  get appliedIndex(): number {
    return this.appliedIndexValue;
  }

  isActive(): boolean {
    return this.activeTerm !== null;
  }

  onCommit(listener: (appliedIndex: number) => void): () => void {
    this.commitListeners.add(listener);
    return () => this.commitListeners.delete(listener);
  }

  onActivation(listener: ActivationListener): () => void {
    this.activationListeners.add(listener);
    return () => this.activationListeners.delete(listener);
  }

  // --- state machine (every controller) ---------------------------------------------------------------

  apply(entry: Entry): void {
    assert(
      entry.index === this.appliedIndexValue + 1,
      () => `applied ${entry.index} after ${this.appliedIndexValue}: entries must have no gaps`,
    );
    const proposed = this.proposedImages.get(entry.index);
    if (proposed !== undefined) this.proposedImages.delete(entry.index);
    if (
      proposed !== undefined &&
      entry.type === 'normal' &&
      proposed.term === entry.term &&
      proposed.data === entry.data
    ) {
      assert(
        proposed.image.offset === entry.index,
        () => `image proposed at ${entry.index} has offset ${proposed.image.offset}`,
      );
      this.committedImage = proposed.image;
    } else {
      const delta = new MetadataDelta(this.committedImage);
      if (entry.type === 'normal') {
        for (const bytes of decodeEntryBatch(entry.data)) delta.replay(decodeRecord(bytes), entry.index);
      }
      delta.advanceTo(entry.index);
      this.committedImage = delta.apply();
    }
    this.appliedIndexValue = entry.index;
    if (entry.type === 'leader-change') this.maybeActivate(entry);
  }

  restore(snapshot: Snapshot): void {
    const index = snapshot.meta.index;
    if (snapshot.data.length === 0) {
      assert(index === 0, () => `snapshot at ${index} has no data`);
      this.committedImage = MetadataImage.EMPTY;
    } else {
      const image = decodeSnapshot(snapshot.data);
      assert(
        image.offset === index,
        () => `snapshot image at offset ${image.offset}, raft snapshot at ${index}`,
      );
      this.committedImage = image;
    }
    this.appliedIndexValue = index;
    this.proposedImages.clear();
    this.deactivate();
    this.options.logger.info({ snapshotIndex: index }, 'metadata image restored from a snapshot');
  }

  snapshotData(): Uint8Array {
    assert(this.committedImage.offset === this.appliedIndexValue, 'committed image lags the applied index');
    return encodeSnapshot(this.committedImage);
  }

  /** The committed image (immutable), encoded SNAPSHOT_RECORDS_PER_SLICE records per step. */
  snapshotWork(): SnapshotWork {
    assert(this.committedImage.offset === this.appliedIndexValue, 'committed image lags the applied index');
    const encoder = new SnapshotEncoder(this.committedImage);
    return { step: () => encoder.step(SNAPSHOT_RECORDS_PER_SLICE), finish: () => encoder.finish() };
  }

  afterApply(): void {
    const applied = this.appliedIndexValue;
    for (const listener of this.commitListeners) listener(applied);
  }

  // --- the active controller ------------------------------------------------------------------------

  /** The hint NOT_CONTROLLER carries: the leader's id and address, when known. */
  leaderHint(): LeaderHint | undefined {
    const status = this.driver?.status();
    const leaderId = status?.leaderId ?? null;
    if (leaderId === null) return undefined;
    // A voter added by a membership change is not in --voters: its address travels with the membership.
    const address =
      status?.addresses[String(leaderId)] ?? this.options.voters.find((v) => v.id === leaderId)?.address;
    return address === undefined ? undefined : { id: leaderId, address };
  }

  notController(): TributaryError {
    const hint = this.leaderHint();
    const status = this.driver?.status();
    const message =
      status?.role === 'leader'
        ? `controller ${status.id} is the new leader and is catching up; retry shortly`
        : `controller ${status?.id ?? '?'} is not the active controller`;
    return new TributaryError('NOT_CONTROLLER', message, hint === undefined ? {} : { leaderHint: hint });
  }

  /**
   * The image the next command decides against (active controller only); throws NOT_CONTROLLER with
   * the leader hint elsewhere.
   */
  /**
   * Throws NOT_CONTROLLER (with the leader hint) unless this controller is active. Checks the Raft core's
   * role and term as they are now: the core steps down (and may truncate its log) while handling a message,
   * and the driver reports the change only after its next persist, so in between `activeTerm` is stale and a
   * command would decide against the old term's speculative image, ahead of the truncated log (found at
   * 30,000 partitions: "metadata offset went back from 15 to 14" under leader churn).
   */
  requireActive(): void {
    const status = this.driver?.status();
    if (this.activeTerm === null || status === undefined) throw this.notController();
    if (status.role !== 'leader' || status.term !== this.activeTerm) throw this.notController();
  }

  latestImage(): MetadataImage {
    this.requireActive();
    if (this.speculativeStale) {
      if (this.inFlight > 0) throw this.notController();
      this.speculative = this.committedImage;
      this.speculativeStale = false;
    }
    return this.speculative ?? this.committedImage;
  }

  /**
   * Decides a command against the latest image and, when it produced records, proposes them as ONE
   * entry; resolves once that entry commits, with the decision's response and the image after it.
   *
   * A decision that wrote nothing, or refused (throws), was still made against the latest image, which may
   * hold records not yet committed: it is answered only once they are (whenCommitted), as Kafka's controller
   * does. Else a CreateTopic retried while the first attempt's entry is in flight is answered
   * TOPIC_ALREADY_EXISTS, and if that entry is then lost to a new leader the topic never exists (seen at
   * 10,000 partitions under leader churn: three topics "created" that no broker ever saw).
   * `answerBeforeCommit` skips the wait for answers that are only advisory (a heartbeat's fenced flag: a
   * broker leads only what the committed log says), so they are not held up behind large entries.
   */
  async runCommand<R>(
    decide: (image: MetadataImage) => Decision<R>,
    options: { readonly answerBeforeCommit?: boolean } = {},
  ): Promise<{ readonly response: R; readonly image: MetadataImage }> {
    const base = this.latestImage();
    const driver = this.driver;
    assert(driver !== undefined, 'active without a driver');
    if (this.inFlight >= COMMANDS_IN_FLIGHT_MAX) {
      throw new TributaryError('RESOURCE_EXHAUSTED', `${this.inFlight} commands are waiting to commit`);
    }
    const waitForBase = options.answerBeforeCommit !== true;
    let decision: Decision<R>;
    try {
      decision = decide(base);
    } catch (error) {
      if (waitForBase) await this.whenCommitted(base);
      throw error;
    }
    const { records, response } = decision;
    if (records.length === 0) {
      if (waitForBase) await this.whenCommitted(base);
      return { response, image: base };
    }
    // Replay first: records that do not apply are a bug in the decision and must never reach the log.
    // They replay at the index the entry will get (the leader appends at its last index + 1; nothing
    // runs between here and the proposal), so the speculative image's offset tracks the log.
    const predictedIndex = driver.status().lastIndex + 1;
    const delta = new MetadataDelta(base);
    for (const record of records) delta.replay(record, predictedIndex);
    const next = delta.apply();
    let committed: Promise<unknown>;
    try {
      const data = encodeEntryBatch(records.map(encodeRecord));
      const proposal = driver.propose(data);
      assert(proposal.index === predictedIndex, () => `proposed at ${proposal.index}, not ${predictedIndex}`);
      this.proposedImages.set(proposal.index, { term: proposal.term, data, image: next });
      committed = proposal.committed;
    } catch (error) {
      throw error instanceof TributaryError && error.code === 'NOT_CONTROLLER' ? this.notController() : error;
    }
    this.speculative = next;
    this.inFlight++;
    try {
      await committed;
    } catch (error) {
      if (this.activeTerm !== null) {
        this.speculativeStale = true;
        // Images built on top of the lost entry no longer describe the log: replay whatever commits.
        this.proposedImages.clear();
      }
      throw error instanceof TributaryError && error.code === 'NOT_CONTROLLER' ? this.notController() : error;
    } finally {
      this.inFlight--;
    }
    return { response, image: next };
  }

  /**
   * Resolves once everything `image` holds is committed, this controller having stayed active in one term
   * all along (a leader's log is never truncated within its term, so the entries up to the image's offset
   * are the ones it decided); NOT_CONTROLLER if it stops being active first, since they may be lost.
   */
  private whenCommitted(image: MetadataImage): Promise<void> {
    if (this.appliedIndexValue >= image.offset) return Promise.resolve();
    const term = this.activeTerm;
    return new Promise<void>((resolve, reject) => {
      const check = (): void => {
        if (this.activeTerm !== term) {
          stop();
          reject(this.notController());
        } else if (this.appliedIndexValue >= image.offset) {
          stop();
          resolve();
        }
      };
      const stopCommits = this.onCommit(check);
      const stopActivations = this.onActivation(check);
      const stop = (): void => {
        stopCommits();
        stopActivations();
      };
    });
  }

  private maybeActivate(entry: Entry): void {
    const status = this.driver?.status();
    if (status === undefined || status.role !== 'leader' || status.term !== entry.term) return;
    if (this.activeTerm === entry.term) return;
    this.activeTerm = entry.term;
    this.speculative = this.committedImage;
    this.speculativeStale = false;
    this.options.logger.info({ term: entry.term, appliedIndex: entry.index }, 'active controller');
    for (const listener of this.activationListeners) listener(true);
  }

  private deactivate(): void {
    if (this.activeTerm === null) return;
    this.activeTerm = null;
    this.speculative = null;
    this.proposedImages.clear();
    this.speculativeStale = false;
    this.options.logger.info('no longer the active controller');
    for (const listener of this.activationListeners) listener(false);
  }
}
