/**
 * A seeded simulation of one group with honest clients (they give up what they lose and report what
 * they own): random joins, leaves, crashes (a client stops heartbeating), lost responses, subscription
 * changes, partition additions and clock advances. Invariants are checked after every step; a failure
 * names its seed, and `SIM_SEED=n` replays one seed.
 */
import { SeededRandom, TributaryError } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { fromKey, toKeys, toPairs, tpKey } from './assignment.js';
import { ASSIGNOR_NAMES } from './assignors.js';
import { ConsumerGroup } from './consumer-group.js';

const TOPICS = ['a', 'b', 'c'];
const SESSION_TIMEOUT_MS = 10_000;
const REBALANCE_TIMEOUT_MS = 20_000;

interface Client {
  readonly memberId: string;
  epoch: number;
  owned: Set<string>;
  topics: string[];
  nextHeartbeatMs: number;
}

class Simulation {
  readonly random: SeededRandom;
  readonly group = new ConsumerGroup({ groupId: 'sim', defaultSessionTimeoutMs: SESSION_TIMEOUT_MS });
  readonly clients = new Map<string, Client>();
  readonly counts = new Map<string, number>([
    ['a', 3],
    ['b', 2],
    ['c', 5],
  ]);
  nowMs = 0;
  nextId = 0;
  readonly log: string[] = [];

  /** Each seed runs one assignor: the invariants hold for all of them. */
  readonly assignor: string;

  constructor(readonly seed: number) {
    this.random = new SeededRandom(seed);
    this.assignor = ASSIGNOR_NAMES[seed % ASSIGNOR_NAMES.length] ?? 'range';
  }

  pick<T>(items: readonly T[]): T | undefined {
    return items.length === 0 ? undefined : items[this.random.int(0, items.length)];
  }

  subscription(): string[] {
    const topics = TOPICS.filter(() => this.random.next() < 0.6);
    return topics.length === 0 ? ['a'] : topics;
  }

  heartbeat(client: Client, loseResponse: boolean): void {
    try {
      const result = this.group.heartbeat(
        {
          memberId: client.memberId,
          memberEpoch: client.epoch,
          clientId: 'sim',
          subscribedTopics: client.topics,
          assignor: this.assignor,
          rebalanceTimeoutMs: REBALANCE_TIMEOUT_MS,
          sessionTimeoutMs: 0,
          ownedPartitions: [...client.owned].map(fromKey),
        },
        this.counts,
        this.nowMs,
      );
      client.nextHeartbeatMs = this.nowMs + result.heartbeatIntervalMs;
      if (loseResponse) return;
      client.epoch = result.memberEpoch;
      // Honest: revokes (after committing) what is missing, starts on what is new.
      client.owned = toKeys(result.assignment);
    } catch (error) {
      if (!(error instanceof TributaryError)) throw error;
      expect(['UNKNOWN_MEMBER_ID', 'FENCED_MEMBER_EPOCH']).toContain(error.code);
      client.owned = new Set();
      client.epoch = 0;
      client.nextHeartbeatMs = this.nowMs;
    }
  }

  step(): void {
    const roll = this.random.next();
    const live = [...this.clients.values()];
    if (roll < 0.1 && this.clients.size < 8) {
      const client = {
        memberId: `m${this.nextId++}`,
        epoch: 0,
        owned: new Set<string>(),
        topics: this.subscription(),
        nextHeartbeatMs: 0,
      };
      this.clients.set(client.memberId, client);
      this.log.push(`join ${client.memberId} ${client.topics.join(',')}`);
      this.heartbeat(client, false);
    } else if (roll < 0.14) {
      const client = this.pick(live);
      if (client === undefined) return;
      this.log.push(`leave ${client.memberId}`);
      this.clients.delete(client.memberId);
      this.group.heartbeat(
        {
          memberId: client.memberId,
          memberEpoch: -1,
          clientId: 'sim',
          subscribedTopics: [],
          assignor: '',
          rebalanceTimeoutMs: 0,
          sessionTimeoutMs: 0,
          ownedPartitions: [],
        },
        this.counts,
        this.nowMs,
      );
    } else if (roll < 0.18) {
      // A crash: the client is gone (its partitions with it) and stops heartbeating.
      const client = this.pick(live);
      if (client === undefined) return;
      this.log.push(`crash ${client.memberId}`);
      this.clients.delete(client.memberId);
    } else if (roll < 0.22) {
      const client = this.pick(live);
      if (client === undefined) return;
      client.topics = this.subscription();
      this.log.push(`subscribe ${client.memberId} ${client.topics.join(',')}`);
    } else if (roll < 0.24) {
      const topic = this.pick(TOPICS) ?? 'a';
      this.counts.set(topic, (this.counts.get(topic) ?? 0) + 1);
      this.log.push(`grow ${topic}`);
    } else {
      const advanceMs = this.random.int(0, 2_000);
      this.nowMs += advanceMs;
      this.log.push(`advance ${advanceMs}`);
      this.heartbeatDue(0.05);
    }
    this.group.expire(this.nowMs);
  }

  heartbeatDue(lossRate: number): void {
    for (const client of [...this.clients.values()].sort((x, y) => (x.memberId < y.memberId ? -1 : 1))) {
      if (client.nextHeartbeatMs <= this.nowMs) this.heartbeat(client, this.random.next() < lossRate);
    }
  }

  /** Plain checks (not expect) on the hot path: this runs after each of ~50,000 steps. */
  checkInvariants(): void {
    const owner = new Map<string, string>();
    for (const client of this.clients.values()) {
      for (const key of client.owned) {
        const other = owner.get(key);
        if (other !== undefined) throw new Error(`${key} owned by ${other} and ${client.memberId}`);
        owner.set(key, client.memberId);
      }
    }
    for (const member of this.group.describe().members) {
      for (const { topic, partition } of toPairs(member.assignment)) {
        if (!member.subscribedTopics.includes(topic) || partition >= (this.counts.get(topic) ?? 0)) {
          throw new Error(`${member.memberId} is assigned ${topic}-${partition} outside its subscription`);
        }
      }
    }
  }

  /** Nothing changes for a while (no loss): every crashed member times out and the group settles. */
  checkConverges(): void {
    for (let round = 0; round < 60; round++) {
      this.nowMs += 1_000;
      this.heartbeatDue(0);
      this.group.expire(this.nowMs);
      this.checkInvariants();
    }
    const description = this.group.describe();
    expect(description.members.map((m) => m.memberId).sort()).toEqual([...this.clients.keys()].sort());
    if (this.clients.size === 0) return;
    expect(description.state).toBe('Stable');
    const owned = new Set<string>();
    for (const client of this.clients.values()) for (const key of client.owned) owned.add(key);
    const subscribed = new Set([...this.clients.values()].flatMap((c) => c.topics));
    for (const topic of subscribed) {
      for (let p = 0; p < (this.counts.get(topic) ?? 0); p++) expect(owned.has(tpKey(topic, p))).toBe(true);
    }
  }
}

function runSeed(seed: number): void {
  const simulation = new Simulation(seed);
  try {
    for (let i = 0; i < 150; i++) {
      simulation.step();
      simulation.checkInvariants();
    }
    simulation.checkConverges();
  } catch (error) {
    const tail = simulation.log.slice(-15).join('\n  ');
    throw new Error(
      `simulation seed ${seed} failed (replay with SIM_SEED=${seed}); last events:\n  ${tail}`,
      {
        cause: error,
      },
    );
  }
}

describe('ConsumerGroup simulation', () => {
  it('keeps ownership exclusive and converges, over 300 seeds', { timeout: 30_000 }, () => {
    const only = process.env.SIM_SEED;
    const seeds = only === undefined ? Array.from({ length: 300 }, (_, i) => i + 1) : [Number(only)];
    for (const seed of seeds) runSeed(seed);
  });
});
