/**
 * Test fixture for the classic group state machine: a ClassicGroup with a manual clock, tokens handed out
 * in order, and every answer recorded by token, so tests read as "member A joins; B joins; A's join is
 * answered with generation 1". Imported only by tests (classic-group.test.ts, the simulation).
 */
import { TributaryError } from '@tributary/core';
import { ClassicGroup } from '../classic-group.js';
import type {
  ClassicGroupConfig,
  ClassicJoinRequest,
  ClassicJoinResult,
  ClassicSyncResult,
} from '../classic-types.js';
import { CLASSIC_GROUP_DEFAULTS } from '../limits.js';

export const TEST_CONFIG: ClassicGroupConfig = {
  ...CLASSIC_GROUP_DEFAULTS,
  initialRebalanceDelayMs: 100,
  maxSize: 10,
};

export type Answer =
  | { readonly kind: 'join'; readonly result: ClassicJoinResult }
  | { readonly kind: 'sync'; readonly result: ClassicSyncResult }
  | { readonly kind: 'refused'; readonly code: string };

export function protocols(...names: string[]): { name: string; metadata: Buffer }[] {
  return names.map((name) => ({ name, metadata: Buffer.from(`meta-${name}`) }));
}

export class ClassicHarness {
  readonly group: ClassicGroup;
  nowMs = 1_000;
  #nextToken = 1;
  #nextId = 1;
  readonly answers = new Map<number, Answer>();

  constructor(config: Partial<ClassicGroupConfig> = {}) {
    this.group = new ClassicGroup('g', { ...TEST_CONFIG, ...config });
  }

  /** Sends a JoinGroup; returns its token (look its answer up with answer()). */
  join(request: Partial<ClassicJoinRequest> = {}): number {
    const token = this.#nextToken++;
    const input = {
      groupId: 'g',
      memberId: '',
      groupInstanceId: null,
      protocolType: 'consumer',
      protocols: protocols('range'),
      sessionTimeoutMs: 10_000,
      rebalanceTimeoutMs: 30_000,
      clientId: 'client',
      clientHost: '/127.0.0.1',
      requireKnownMemberId: false,
      ...request,
      newMemberId: `${request.groupInstanceId ?? 'member'}-${this.#nextId++}`,
    };
    this.#run(token, () => this.group.join(input, token, this.nowMs));
    return token;
  }

  sync(
    memberId: string,
    generationId: number,
    assignments: { memberId: string; assignment: Buffer }[] = [],
    groupInstanceId: string | null = null,
  ): number {
    const token = this.#nextToken++;
    const request = {
      groupId: 'g',
      generationId,
      memberId,
      groupInstanceId,
      protocolType: null,
      protocolName: null,
      assignments,
    };
    this.#run(token, () => this.group.sync(request, token, this.nowMs));
    return token;
  }

  heartbeat(memberId: string, generationId: number, groupInstanceId: string | null = null): string {
    try {
      const request = { groupId: 'g', generationId, memberId, groupInstanceId };
      return this.group.heartbeat(request, this.nowMs) ?? 'NONE';
    } catch (error) {
      if (error instanceof TributaryError) return error.code;
      throw error;
    }
  }

  advance(ms: number): string[] {
    this.nowMs += ms;
    const { removed, effects } = this.group.tick(this.nowMs);
    this.#record(effects);
    return removed;
  }

  /** Lets the initial delay (extended by each member that joined during it) run out. */
  settle(): void {
    for (let i = 0; i < 100 && this.group.state === 'PreparingRebalance'; i++) this.advance(100);
  }

  answer(token: number): Answer | undefined {
    return this.answers.get(token);
  }

  joined(token: number): ClassicJoinResult {
    const answer = this.answers.get(token);
    if (answer?.kind !== 'join')
      throw new Error(`join ${token} has no join answer: ${JSON.stringify(answer)}`);
    return answer.result;
  }

  synced(token: number): ClassicSyncResult {
    const answer = this.answers.get(token);
    if (answer?.kind !== 'sync')
      throw new Error(`sync ${token} has no sync answer: ${JSON.stringify(answer)}`);
    return answer.result;
  }

  /** The error code a request was answered with: 'NONE', a code, or 'WAITING'. */
  outcome(token: number): string {
    const answer = this.answers.get(token);
    if (answer === undefined) return 'WAITING';
    if (answer.kind === 'refused') return answer.code;
    return answer.result.errorCode ?? 'NONE';
  }

  /** A dynamic member through KIP-394's two joins; returns the token of the second. */
  joinDynamic(request: Partial<ClassicJoinRequest> = {}): number {
    const first = this.join({ ...request, requireKnownMemberId: true });
    return this.join({ ...request, memberId: this.joined(first).memberId, requireKnownMemberId: true });
  }

  #run(token: number, decide: () => ReturnType<ClassicGroup['tick']>['effects']): void {
    try {
      this.#record(decide());
    } catch (error) {
      if (!(error instanceof TributaryError)) throw error;
      this.answers.set(token, { kind: 'refused', code: error.code });
    }
  }

  #record(effects: ReturnType<ClassicGroup['tick']>['effects']): void {
    for (const effect of effects) {
      if (this.answers.has(effect.token)) throw new Error(`token ${effect.token} answered twice`);
      this.answers.set(
        effect.token,
        effect.kind === 'join'
          ? { kind: 'join', result: effect.result }
          : { kind: 'sync', result: effect.result },
      );
    }
  }
}
