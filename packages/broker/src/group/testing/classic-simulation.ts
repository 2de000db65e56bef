/**
 * The seeded simulation of one classic group (run by classic-group.simulation.test.ts) with eager Kafka-like clients: dynamic and static members
 * join (through MEMBER_ID_REQUIRED), the leader assigns partitions round-robin (disjoint), clients
 * heartbeat, commit, leave, crash, pause and come back as zombies, restart as the same static instance,
 * change subscription, and lose answers (then retry). Invariants are checked after every step:
 *   - the generation never goes back, and every successful JoinGroup answer carries the current one;
 *   - every SyncGroup answer of a generation comes from that generation's one leader assignment;
 *   - an accepted commit carries the current generation, and per (generation, partition) only one
 *     client identity commits (a zombie's stale commit is refused);
 * and at the end, with faults stopped, every live client reaches one Stable generation owning disjoint
 * partitions that cover the topic. A failure names its seed; `SIM_SEED=n` replays one seed.
 */
import { SeededRandom, TributaryError } from '@tributary/core';
import { expect } from 'vitest';
import { ClassicGroup } from '../classic-group.js';
import type { ClassicEffect, ClassicJoinResult, ClassicSyncResult } from '../classic-types.js';
import { CLASSIC_GROUP_DEFAULTS } from '../limits.js';

export const PARTITIONS = 6;
const SESSION_TIMEOUT_MS = 10_000;
const HEARTBEAT_INTERVAL_MS = 3_000;

interface Client {
  readonly identity: string;
  readonly instanceId: string | null;
  memberId: string;
  generation: number;
  owned: number[];
  state: 'joining' | 'syncing' | 'stable' | 'paused' | 'dead';
  /** The token whose answer the client waits for (answers to other tokens are stale and ignored). */
  token: number | null;
  lost: boolean;
  variant: number;
  nextHeartbeatMs: number;
}

type Pending = { readonly client: Client; readonly generation: number };

export class Simulation {
  readonly random: SeededRandom;
  readonly group = new ClassicGroup('sim', {
    ...CLASSIC_GROUP_DEFAULTS,
    initialRebalanceDelayMs: 500,
    maxSize: 8,
  });
  readonly clients: Client[] = [];
  readonly pending = new Map<number, Pending>();
  /** Per generation: the leader's assignment by client identity. */
  readonly assignments = new Map<number, Map<string, string>>();
  /** Per generation and partition: the identity whose commits were accepted. */
  readonly committers = new Map<string, string>();
  readonly stats = { commitsAccepted: 0, commitsRefused: 0, fenced: 0 };
  nowMs = 0;
  #nextToken = 1;
  #nextId = 1;
  #lastGeneration = 0;

  constructor(
    readonly seed: number,
    readonly options: { readonly unfencedCommits?: boolean } = {},
  ) {
    this.random = new SeededRandom(seed);
  }

  start(instanceId: string | null): void {
    const identity = instanceId ?? `dyn-${this.#nextId++}`;
    const client: Client = {
      identity,
      instanceId,
      memberId: '',
      generation: -1,
      owned: [],
      state: 'joining',
      token: null,
      lost: false,
      variant: 0,
      nextHeartbeatMs: 0,
    };
    this.clients.push(client);
    this.join(client);
  }

  join(client: Client): void {
    client.state = 'joining';
    client.owned = [];
    const token = this.#send(client, -1);
    this.#decide(token, client, () =>
      this.group.join(
        {
          groupId: 'sim',
          memberId: client.memberId,
          groupInstanceId: client.instanceId,
          protocolType: 'consumer',
          protocols: [{ name: 'range', metadata: Buffer.from(`${client.identity}:${client.variant}`) }],
          sessionTimeoutMs: SESSION_TIMEOUT_MS,
          rebalanceTimeoutMs: 20_000,
          clientId: 'sim',
          clientHost: 'h',
          requireKnownMemberId: true,
          supportsSkipAssignment: true,
          newMemberId: `${client.instanceId ?? 'sim'}-${this.#nextId++}`,
        },
        token,
        this.nowMs,
      ),
    );
  }

  sync(client: Client, result: ClassicJoinResult): void {
    client.state = 'syncing';
    client.generation = result.generationId;
    const leads = result.leaderId === client.memberId && !result.skipAssignment && result.members.length > 0;
    // The leader's assignor: partitions round-robin over the members, so the assignment is disjoint.
    const members = leads ? [...result.members].sort((a, b) => (a.memberId < b.memberId ? -1 : 1)) : [];
    const assignments = members.map((m, i) => ({
      memberId: m.memberId,
      assignment: Buffer.from(JSON.stringify(partitionsFor(i, members.length))),
      identity: m.metadata.toString().split(':')[0] ?? '',
    }));
    const token = this.#send(client, result.generationId);
    const request = {
      groupId: 'sim',
      generationId: result.generationId,
      memberId: client.memberId,
      groupInstanceId: client.instanceId,
      protocolType: 'consumer',
      protocolName: result.protocolName,
      assignments,
    };
    this.#decide(token, client, () => {
      const effects = this.group.sync(request, token, this.nowMs);
      if (leads && this.group.state === 'Stable' && !this.assignments.has(result.generationId)) {
        this.assignments.set(
          result.generationId,
          new Map(assignments.map((a) => [a.identity, a.assignment.toString()])),
        );
      }
      return effects;
    });
  }

  heartbeat(client: Client): void {
    client.nextHeartbeatMs = this.nowMs + HEARTBEAT_INTERVAL_MS;
    const request = {
      groupId: 'sim',
      generationId: client.generation,
      memberId: client.memberId,
      groupInstanceId: client.instanceId,
    };
    try {
      if (this.group.heartbeat(request, this.nowMs) === 'REBALANCE_IN_PROGRESS') this.#rejoin(client);
    } catch (error) {
      this.#onError(client, error);
    }
  }

  /** Commits one owned partition (a zombie commits what it believed it owned). */
  commit(client: Client): void {
    const partition = this.pick(client.owned);
    if (partition === undefined) return;
    const member = {
      generationId: client.generation,
      memberId: client.memberId,
      groupInstanceId: client.instanceId,
    };
    try {
      if (!this.options.unfencedCommits) this.group.validateCommit(member, this.nowMs);
    } catch (error) {
      this.stats.commitsRefused++;
      this.#onError(client, error);
      return;
    }
    this.stats.commitsAccepted++;
    const key = `${client.generation}/${partition}`;
    const previous = this.committers.get(key);
    if (previous !== undefined && previous !== client.identity) {
      throw new Error(`seed ${this.seed}: ${client.identity} and ${previous} both committed ${key}`);
    }
    this.committers.set(key, client.identity);
    expect(client.generation, `seed ${this.seed}: commit from a stale generation`).toBe(
      this.group.generationId,
    );
  }

  leave(client: Client): void {
    client.state = 'dead';
    const { effects } = this.group.leave(
      [{ memberId: client.memberId, groupInstanceId: client.instanceId }],
      this.nowMs,
    );
    this.#handle(effects);
  }

  advance(ms: number): void {
    this.nowMs += ms;
    this.#handle(this.group.tick(this.nowMs).effects);
    for (const client of this.clients) {
      if (client.state === 'stable' || client.state === 'syncing') {
        if (this.nowMs >= client.nextHeartbeatMs) this.heartbeat(client);
      }
    }
  }

  pick<T>(items: readonly T[]): T | undefined {
    return items.length === 0 ? undefined : items[this.random.int(0, items.length)];
  }

  step(): void {
    const live = this.clients.filter((c) => c.state !== 'dead' && c.state !== 'paused');
    const client = this.pick(live);
    const roll = this.random.next();
    if (roll < 0.1 && live.length < 6 && this.clients.length < 40)
      this.start(this.random.next() < 0.5 ? `static-${this.random.int(0, 4)}` : null);
    else if (roll < 0.3 && client?.state === 'stable') this.commit(client);
    else if (roll < 0.32 && client !== undefined) this.leave(client);
    else if (roll < 0.34 && client !== undefined) client.state = 'dead';
    else if (roll < 0.38 && client !== undefined && client.state === 'stable') client.state = 'paused';
    else if (roll < 0.44) this.#resumeZombie();
    else if (roll < 0.52 && client?.state === 'stable') {
      client.variant++;
      this.join(client);
    } else if (roll < 0.56 && client?.lost === true) this.#retry(client);
    else this.advance(this.random.int(0, 3_000));
    this.check();
  }

  check(): void {
    expect(this.group.generationId, `seed ${this.seed}: generation went back`).toBeGreaterThanOrEqual(
      this.#lastGeneration,
    );
    this.#lastGeneration = this.group.generationId;
  }

  /** Faults stop: live clients heartbeat and retry until the group settles. */
  settle(): void {
    for (const client of this.clients) if (client.state === 'paused') client.state = 'dead';
    for (let i = 0; i < 200; i++) {
      for (const client of this.clients) if (client.lost) this.#retry(client);
      this.advance(1_000);
    }
  }

  #resumeZombie(): void {
    const zombie = this.pick(this.clients.filter((c) => c.state === 'paused'));
    if (zombie === undefined) return;
    zombie.state = 'stable';
    this.commit(zombie);
    if (zombie.state === 'stable') this.heartbeat(zombie);
  }

  #retry(client: Client): void {
    client.lost = false;
    if (client.state === 'joining') this.join(client);
    else if (client.state === 'syncing') this.#rejoin(client);
  }

  #rejoin(client: Client): void {
    client.owned = [];
    this.join(client);
  }

  #onError(client: Client, error: unknown): void {
    if (!(error instanceof TributaryError)) throw error;
    switch (error.code) {
      case 'UNKNOWN_MEMBER_ID':
        client.memberId = '';
        this.#rejoin(client);
        return;
      case 'ILLEGAL_GENERATION':
      case 'REBALANCE_IN_PROGRESS':
        this.#rejoin(client);
        return;
      case 'FENCED_INSTANCE_ID':
        this.stats.fenced++;
        client.state = 'dead';
        return;
      case 'GROUP_MAX_SIZE_REACHED':
        client.state = 'dead';
        return;
      default:
        throw new Error(`seed ${this.seed}: unexpected ${error.code}: ${error.message}`);
    }
  }

  #send(client: Client, generation: number): number {
    const token = this.#nextToken++;
    client.token = token;
    client.lost = false;
    this.pending.set(token, { client, generation });
    return token;
  }

  #decide(token: number, client: Client, decide: () => ClassicEffect[]): void {
    try {
      this.#handle(decide());
    } catch (error) {
      this.pending.delete(token);
      this.#onError(client, error);
    }
  }

  #handle(effects: readonly ClassicEffect[]): void {
    for (const effect of effects) {
      const pending = this.pending.get(effect.token);
      if (pending === undefined) throw new Error(`seed ${this.seed}: token ${effect.token} answered twice`);
      this.pending.delete(effect.token);
      if (effect.kind === 'join') this.#checkJoin(effect.result);
      else this.#checkSync(pending, effect.result);
      const { client } = pending;
      if (client.token !== effect.token || client.state === 'dead' || client.state === 'paused') continue;
      if (this.random.next() < 0.05) {
        client.lost = true;
        continue;
      }
      if (effect.kind === 'join') this.#onJoin(client, effect.result);
      else this.#onSync(client, effect.result);
    }
  }

  #checkJoin(result: ClassicJoinResult): void {
    if (result.errorCode !== null) return;
    expect(result.generationId, `seed ${this.seed}: a join answered an old generation`).toBe(
      this.group.generationId,
    );
    expect(result.protocolName).toBe('range');
  }

  #checkSync(pending: Pending, result: ClassicSyncResult): void {
    if (result.errorCode !== null) return;
    const expected = this.assignments.get(pending.generation)?.get(pending.client.identity) ?? '';
    expect(
      result.assignment.toString(),
      `seed ${this.seed}: sync answer not from the leader's assignment`,
    ).toBe(expected);
  }

  #onJoin(client: Client, result: ClassicJoinResult): void {
    if (result.errorCode === 'MEMBER_ID_REQUIRED') {
      client.memberId = result.memberId;
      this.join(client);
    } else if (result.errorCode === null) {
      client.memberId = result.memberId;
      this.sync(client, result);
    } else this.#onError(client, new TributaryError(result.errorCode, result.errorMessage));
  }

  #onSync(client: Client, result: ClassicSyncResult): void {
    if (result.errorCode !== null) {
      this.#onError(client, new TributaryError(result.errorCode, result.errorMessage));
      return;
    }
    client.state = 'stable';
    const parsed: unknown = result.assignment.length === 0 ? [] : JSON.parse(result.assignment.toString());
    client.owned = Array.isArray(parsed) ? parsed.filter((p): p is number => typeof p === 'number') : [];
    client.nextHeartbeatMs = this.nowMs + HEARTBEAT_INTERVAL_MS;
  }
}

function partitionsFor(index: number, members: number): number[] {
  return Array.from({ length: PARTITIONS }, (_, p) => p).filter((p) => p % members === index);
}

export function run(seed: number, options: { unfencedCommits?: boolean } = {}): Simulation {
  const sim = new Simulation(seed, options);
  sim.start(null);
  sim.start('static-0');
  for (let i = 0; i < 300; i++) sim.step();
  return sim;
}
