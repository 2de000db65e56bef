/**
 * A simulated network: seeded message loss, duplication and delay (which reorders), and partitions that
 * may be asymmetric (a link blocked one way only). Time is the simulation's tick.
 */
import { assert, type NodeId, type Random } from '@tributary/core';
import type { Message } from '../types.js';

export interface NetworkFaults {
  /** Probability that a message is dropped. */
  readonly lossRate: number;
  /** Probability that a message is delivered twice. */
  readonly duplicateRate: number;
  /** Delivery delay in ticks, drawn uniformly from [delayTicksMin, delayTicksMax]. */
  readonly delayTicksMin: number;
  readonly delayTicksMax: number;
}

export const PERFECT_NETWORK: NetworkFaults = {
  lossRate: 0,
  duplicateRate: 0,
  delayTicksMin: 1,
  delayTicksMax: 1,
};

interface InFlight {
  readonly deliverAtTick: number;
  readonly sequence: number;
  readonly message: Message;
}

/** Messages in flight at once; past this the network drops (a real network's buffers are bounded too). */
const IN_FLIGHT_MESSAGES_MAX = 100_000;

export class SimNetwork {
  faults: NetworkFaults;
  private inFlight: InFlight[] = [];
  private sequence = 0;
  /** Blocked directed links, as `from->to`. */
  private readonly blocked = new Set<string>();

  constructor(
    private readonly random: Random,
    faults: NetworkFaults = PERFECT_NETWORK,
  ) {
    this.faults = faults;
  }

  send(message: Message, nowTick: number): void {
    if (this.isBlocked(message.from, message.to)) return;
    if (this.random.next() < this.faults.lossRate) return;
    if (this.inFlight.length >= IN_FLIGHT_MESSAGES_MAX) return;
    const copies = this.random.next() < this.faults.duplicateRate ? 2 : 1;
    for (let i = 0; i < copies; i++) {
      const delay = this.random.int(this.faults.delayTicksMin, this.faults.delayTicksMax + 1);
      this.inFlight.push({ deliverAtTick: nowTick + delay, sequence: this.sequence++, message });
    }
  }

  /** Removes and returns the messages due by `nowTick`, in delivery order. */
  takeDue(nowTick: number): Message[] {
    const due: InFlight[] = [];
    const later: InFlight[] = [];
    for (const item of this.inFlight) (item.deliverAtTick <= nowTick ? due : later).push(item);
    this.inFlight = later;
    due.sort((a, b) => a.deliverAtTick - b.deliverAtTick || a.sequence - b.sequence);
    // A partition that started while a message was in flight cuts it off too.
    return due
      .filter((item) => !this.isBlocked(item.message.from, item.message.to))
      .map((item) => item.message);
  }

  inFlightCount(): number {
    return this.inFlight.length;
  }

  isBlocked(from: NodeId, to: NodeId): boolean {
    return this.blocked.has(`${from}->${to}`);
  }

  blockOneWay(from: NodeId, to: NodeId): void {
    assert(from !== to, 'a node is never partitioned from itself');
    this.blocked.add(`${from}->${to}`);
  }

  /** Splits the nodes into groups that cannot reach each other (both ways). */
  partition(groups: readonly (readonly NodeId[])[]): void {
    for (const a of groups) {
      for (const b of groups) {
        if (a === b) continue;
        for (const from of a) for (const to of b) this.blockOneWay(from, to);
      }
    }
  }

  heal(): void {
    this.blocked.clear();
  }

  describeBlocked(): string {
    return [...this.blocked].sort().join(' ');
  }
}
