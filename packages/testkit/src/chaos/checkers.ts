/**
 * Checkers over a recorded history (history.ts): pure functions, each returning the anomalies of one kind
 * with a one-line message and the records involved. An empty list from every checker means the run was
 * clean. They look only at the history, never at the cluster, so a crafted history tests them.
 */
import {
  type CommitEvent,
  describeCommit,
  describePoll,
  describeSend,
  type History,
  type OffsetValue,
  type PollEvent,
  type SendEvent,
} from './history.js';

export type AnomalyKind =
  | 'lost-write'
  | 'moved-write'
  | 'duplicate'
  | 'failed-write-seen'
  | 'offset-backwards'
  | 'offset-skip'
  | 'offset-conflict'
  | 'read-not-in-log'
  | 'read-past-high-watermark'
  | 'commit-backwards'
  | 'metadata-backwards'
  | 'leader-conflict'
  /** Not from a checker: the nemesis found a process crashed or unable to come back after a heal. */
  | 'process-problem';

export interface Anomaly {
  readonly kind: AnomalyKind;
  readonly message: string;
  /** The events involved, described one per line. */
  readonly records: readonly string[];
}

export type Checker = (history: History) => Anomaly[];

/** Where each value sits in the final read: value → places. */
function finalPlaces(history: History): Map<string, { partition: number; offset: number }[]> {
  const places = new Map<string, { partition: number; offset: number }[]>();
  for (const [partition, records] of history.finalRead ?? new Map<number, readonly OffsetValue[]>()) {
    for (const record of records) {
      const list = places.get(record.value) ?? [];
      list.push({ partition, offset: record.offset });
      places.set(record.value, list);
    }
  }
  return places;
}

function place(p: { partition: number; offset: number }): string {
  return `p${p.partition}@${p.offset}`;
}

/** Every acknowledged send is in the final log, once, at the partition and offset it was acknowledged with. */
export const checkLostWrites: Checker = (history) => {
  if (history.finalRead === undefined) return [];
  const places = finalPlaces(history);
  const anomalies: Anomaly[] = [];
  for (const send of history.sends) {
    if (send.outcome.type !== 'acked') continue;
    const found = places.get(send.value) ?? [];
    const at = { partition: send.partition, offset: send.outcome.offset };
    if (found.length === 0) {
      anomalies.push({
        kind: 'lost-write',
        message: `acknowledged ${send.value} (${place(at)}) is not in the final log`,
        records: [describeSend(send)],
      });
    } else if (!found.some((p) => p.partition === at.partition && p.offset === at.offset)) {
      anomalies.push({
        kind: 'moved-write',
        message: `acknowledged ${send.value} at ${place(at)} is in the final log at ${found.map(place).join(', ')}`,
        records: [describeSend(send), ...found.map((p) => `final read ${place(p)}: ${send.value}`)],
      });
    }
  }
  return anomalies;
};

/** With the idempotent producer no value may be in the final log twice, acknowledged or not. */
export const checkDuplicates: Checker = (history) => {
  const anomalies: Anomaly[] = [];
  for (const [value, found] of finalPlaces(history)) {
    if (found.length < 2) continue;
    anomalies.push({
      kind: 'duplicate',
      message: `${value} is in the final log ${found.length} times: ${found.map(place).join(', ')}`,
      records: found.map((p) => `final read ${place(p)}: ${value}`),
    });
  }
  return anomalies;
};

/** A send that failed definitely wrote nothing: no consumer and no final read may hold its value. */
export const checkFailedWritesSeen: Checker = (history) => {
  const failed = new Map<string, SendEvent>();
  for (const send of history.sends) {
    if (send.outcome.type === 'failed' && send.outcome.definite) failed.set(send.value, send);
  }
  if (failed.size === 0) return [];
  const anomalies: Anomaly[] = [];
  const report = (value: string, where: string): void => {
    const send = failed.get(value);
    if (send === undefined) return;
    anomalies.push({
      kind: 'failed-write-seen',
      message: `${value} failed definitely but was ${where}`,
      records: [describeSend(send), where],
    });
  };
  for (const poll of history.polls) {
    for (const record of poll.records) {
      report(record.value, `read at p${poll.partition}@${record.offset} by ${describePoll(poll)}`);
    }
  }
  for (const [partition, records] of history.finalRead ?? new Map<number, readonly OffsetValue[]>()) {
    for (const record of records) report(record.value, `in the final log at p${partition}@${record.offset}`);
  }
  return anomalies;
};

/**
 * Within one consumer session and partition, offsets go up by exactly one: inside a poll, and from the end
 * of one poll to the start of the next. Empty polls carry no position and are skipped.
 */
export const checkConsumerOffsets: Checker = (history) => {
  const anomalies: Anomaly[] = [];
  const previous = new Map<string, { poll: PollEvent; last: number }>();
  const ordered = [...history.polls].sort((a, b) => a.atMs - b.atMs);
  for (const poll of ordered) {
    const key = `${poll.consumer}/${poll.session}/${poll.partition}`;
    let last = previous.get(key)?.last;
    const earlier = previous.get(key)?.poll;
    for (const record of poll.records) {
      if (last !== undefined && record.offset !== last + 1) {
        const backwards = record.offset <= last;
        anomalies.push({
          kind: backwards ? 'offset-backwards' : 'offset-skip',
          message: `${poll.consumer} (session ${poll.session}) read p${poll.partition}@${record.offset} right after @${last}`,
          records: [...(earlier === undefined ? [] : [describePoll(earlier)]), describePoll(poll)],
        });
      }
      last = record.offset;
    }
    if (last !== undefined) previous.set(key, { poll, last });
  }
  return anomalies;
};

/** One offset of a partition holds one record: every poll and the final read agree on it. */
export const checkOffsetConflicts: Checker = (history) => {
  const anomalies: Anomaly[] = [];
  const first = new Map<string, { value: string; where: string }>();
  const reported = new Set<string>();
  const visit = (partition: number, record: OffsetValue, where: string): void => {
    const key = `${partition}@${record.offset}`;
    const seen = first.get(key);
    if (seen === undefined) {
      first.set(key, { value: record.value, where });
    } else if (seen.value !== record.value && !reported.has(`${key}/${record.value}`)) {
      reported.add(`${key}/${record.value}`);
      anomalies.push({
        kind: 'offset-conflict',
        message: `p${key} holds ${seen.value} and ${record.value}`,
        records: [`${seen.value}: ${seen.where}`, `${record.value}: ${where}`],
      });
    }
  };
  for (const poll of history.polls) {
    for (const record of poll.records) visit(poll.partition, record, describePoll(poll));
  }
  for (const [partition, records] of history.finalRead ?? new Map<number, readonly OffsetValue[]>()) {
    for (const record of records) visit(partition, record, 'final read');
  }
  return anomalies;
};

/**
 * A consumer reads only below the high watermark, so what it read is committed and in the final log at the
 * same offset; a record missing there was read past the high watermark and later truncated. A poll that
 * returns records at or above the high watermark it answered with is reported directly as well.
 */
export const checkReadsInFinalLog: Checker = (history) => {
  if (history.finalRead === undefined) return [];
  const finalValue = new Map<string, string>();
  for (const [partition, records] of history.finalRead) {
    for (const record of records) finalValue.set(`${partition}@${record.offset}`, record.value);
  }
  const anomalies: Anomaly[] = [];
  for (const poll of history.polls) {
    const past = poll.records.filter((r) => poll.highWatermark >= 0 && r.offset >= poll.highWatermark);
    if (past.length > 0) {
      anomalies.push({
        kind: 'read-past-high-watermark',
        message: `${poll.consumer} got p${poll.partition}@${past.map((r) => r.offset).join(',')} with high watermark ${poll.highWatermark}`,
        records: [describePoll(poll)],
      });
    }
    for (const record of poll.records) {
      const inLog = finalValue.get(`${poll.partition}@${record.offset}`);
      if (inLog === record.value) continue;
      const instead = inLog === undefined ? 'nothing' : inLog;
      anomalies.push({
        kind: 'read-not-in-log',
        message: `${poll.consumer} read ${record.value} at p${poll.partition}@${record.offset}; the final log has ${instead} there`,
        records: [describePoll(poll), `final read p${poll.partition}@${record.offset}: ${instead}`],
      });
    }
  }
  return anomalies;
};

/**
 * Acknowledged commits of a group/partition never decrease in real time: a commit sent after another one
 * was acknowledged may not carry a smaller offset, unless an explicit reset came in between. (Concurrent
 * commits — neither acknowledged before the other was sent — may land in either order.)
 */
export const checkCommitsMonotonic: Checker = (history) => {
  const byKey = new Map<string, CommitEvent[]>();
  for (const commit of history.commits) {
    if (!commit.acked) continue;
    const key = `${commit.group}/${commit.partition}`;
    const list = byKey.get(key) ?? [];
    list.push(commit);
    byKey.set(key, list);
  }
  const anomalies: Anomaly[] = [];
  for (const commits of byKey.values()) {
    const sample = commits[0];
    if (sample === undefined) continue;
    const resets = history.resets
      .filter((r) => r.group === sample.group && r.partition === sample.partition)
      .map((r) => r.atMs);
    const byAck = [...commits].sort((a, b) => a.endedAtMs - b.endedAtMs);
    const bySend = [...commits].sort((a, b) => a.sentAtMs - b.sentAtMs);
    // Sweep in send order: `highest` is the largest offset acknowledged before this send (and after the last
    // reset before it); `next` is how many acknowledgements (in ack order) precede this send.
    let highest: CommitEvent | undefined;
    let next = 0;
    let resetAtMs = Number.NEGATIVE_INFINITY;
    const raise = (a: CommitEvent): void => {
      if (a.endedAtMs > resetAtMs && (highest === undefined || a.offset > highest.offset)) highest = a;
    };
    for (const commit of bySend) {
      const latestReset = Math.max(resetAtMs, ...resets.filter((atMs) => atMs < commit.sentAtMs));
      if (latestReset > resetAtMs) {
        // Rare: forget what was acknowledged before the reset and recount what came after it.
        resetAtMs = latestReset;
        highest = undefined;
        for (const a of byAck.slice(0, next)) raise(a);
      }
      for (let a = byAck[next]; a !== undefined && a.endedAtMs < commit.sentAtMs; a = byAck[++next]) raise(a);
      if (highest !== undefined && commit.offset < highest.offset) {
        anomalies.push({
          kind: 'commit-backwards',
          message: `${commit.group}/p${commit.partition}: commit ${commit.offset} acknowledged after ${highest.offset} was`,
          records: [describeCommit(highest), describeCommit(commit)],
        });
      }
    }
  }
  return anomalies;
};

/** Per observer: leader and partition epochs per partition, and broker epochs per broker, never decrease. */
export const checkMetadataMonotonic: Checker = (history) => {
  const anomalies: Anomaly[] = [];
  const last = new Map<string, { value: number; atMs: number }>();
  const observe = (key: string, what: string, value: number, atMs: number, observer: string): void => {
    const before = last.get(key);
    if (before !== undefined && value < before.value) {
      anomalies.push({
        kind: 'metadata-backwards',
        message: `${observer}: ${what} went from ${before.value} to ${value}`,
        records: [
          `${observer} at ${before.atMs.toFixed(1)} ms: ${what} ${before.value}`,
          `${observer} at ${atMs.toFixed(1)} ms: ${what} ${value}`,
        ],
      });
    }
    if (before === undefined || value >= before.value) last.set(key, { value, atMs });
  };
  const ordered = [...history.metadata].sort((a, b) => a.atMs - b.atMs);
  for (const event of ordered) {
    for (const p of event.partitions) {
      const of = `${event.observer}/p${p.partition}`;
      observe(`${of}/leader`, `p${p.partition} leader epoch`, p.leaderEpoch, event.atMs, event.observer);
      observe(
        `${of}/partition`,
        `p${p.partition} partition epoch`,
        p.partitionEpoch,
        event.atMs,
        event.observer,
      );
    }
    for (const b of event.brokerEpochs) {
      const key = `${event.observer}/broker${b.brokerId}`;
      observe(key, `broker ${b.brokerId} epoch`, b.brokerEpoch, event.atMs, event.observer);
    }
  }
  return anomalies;
};

/**
 * One leader per leader epoch (the Raft/KRaft election rule): no two observers, and no observer at two
 * times, may name different leaders of a partition for the same leader epoch. "No leader" (-1) is ignored.
 */
export const checkOneLeaderPerEpoch: Checker = (history) => {
  const anomalies: Anomaly[] = [];
  const first = new Map<string, { leader: number; observer: string; atMs: number }>();
  const reported = new Set<string>();
  for (const event of history.metadata) {
    for (const p of event.partitions) {
      if (p.leader < 0) continue;
      const key = `p${p.partition} leader epoch ${p.leaderEpoch}`;
      const seen = first.get(key);
      if (seen === undefined) {
        first.set(key, { leader: p.leader, observer: event.observer, atMs: event.atMs });
      } else if (seen.leader !== p.leader && !reported.has(`${key}/${p.leader}`)) {
        reported.add(`${key}/${p.leader}`);
        anomalies.push({
          kind: 'leader-conflict',
          message: `${key} has leaders ${seen.leader} and ${p.leader}`,
          records: [
            `${seen.observer} at ${seen.atMs.toFixed(1)} ms: leader ${seen.leader}`,
            `${event.observer} at ${event.atMs.toFixed(1)} ms: leader ${p.leader}`,
          ],
        });
      }
    }
  }
  return anomalies;
};

export const CHECKERS: Readonly<Record<string, Checker>> = {
  'lost writes': checkLostWrites,
  duplicates: checkDuplicates,
  'definitely failed writes seen': checkFailedWritesSeen,
  'consumer offsets': checkConsumerOffsets,
  'offset conflicts': checkOffsetConflicts,
  'reads in the final log': checkReadsInFinalLog,
  'group commits': checkCommitsMonotonic,
  metadata: checkMetadataMonotonic,
  'one leader per epoch': checkOneLeaderPerEpoch,
};

export function checkAll(history: History): Anomaly[] {
  return Object.values(CHECKERS).flatMap((checker) => checker(history));
}
