/**
 * `trib quorum describe`: asks every listed controller for its view of the Raft quorum at once,
 * tolerates dead ones, and reports the leader's view (the highest term wins if two claim to lead).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { TributaryError } from '@tributary/core';
import {
  asTributaryError,
  type ControllerAdminClient,
  createControllerAdminClient,
  type DescribeQuorumResponse__Output,
  unary,
} from '@tributary/protocol';
import type { CommandContext } from '../context.js';
import { cell, formatTable, jsonLine } from '../format.js';

/** A quorum question should be quick: a controller slower than this is shown as unreachable. */
const QUORUM_CALL_TIMEOUT_MS_MAX = 1_500;

export interface VoterSummary {
  readonly id: number;
  readonly address: string;
  /** Known only from the leader's answer; null otherwise. */
  readonly matchIndex: number | null;
  readonly lag: number | null;
  readonly lastContactMsAgo: number | null;
  /** Whether this voter answered our DescribeQuorum. */
  readonly reachable: boolean;
}

export interface QuorumSummary {
  readonly leaderId: number | null;
  readonly term: number | null;
  readonly commitIndex: number | null;
  readonly lastIndex: number | null;
  readonly voters: readonly VoterSummary[];
  /** Milliseconds since the Unix epoch when the answers were gathered. */
  readonly timestamp: number;
}

export interface QuorumAnswer {
  readonly address: string;
  readonly response: DescribeQuorumResponse__Output | null;
}

function byTermDescending(a: DescribeQuorumResponse__Output, b: DescribeQuorumResponse__Output): number {
  return b.term - a.term;
}

/**
 * The summary from the answers; null when nobody answered. Without a leader's answer the most
 * recent (highest-term) view is shown with leaderId null.
 */
export function summarizeQuorum(answers: readonly QuorumAnswer[], timestamp: number): QuorumSummary | null {
  const responses = answers.flatMap((answer) => (answer.response === null ? [] : [answer.response]));
  const leader = responses.filter((response) => response.role === 'leader').sort(byTermDescending)[0];
  const view = leader ?? [...responses].sort(byTermDescending)[0];
  if (view === undefined) return null;
  const answeredIds = new Set(responses.map((response) => response.nodeId));
  const voters = view.voters.map(
    (voter): VoterSummary => ({
      id: voter.id,
      address: voter.address,
      matchIndex: leader === undefined ? null : voter.matchIndex,
      lag: leader === undefined ? null : voter.lag,
      lastContactMsAgo: leader === undefined || voter.lastContactMsAgo < 0 ? null : voter.lastContactMsAgo,
      reachable: answeredIds.has(voter.id),
    }),
  );
  return {
    leaderId: leader === undefined ? null : leader.nodeId,
    term: view.term,
    commitIndex: view.commitIndex,
    lastIndex: view.lastIndex,
    voters,
    timestamp,
  };
}

export function noQuorumSummary(timestamp: number): QuorumSummary {
  return { leaderId: null, term: null, commitIndex: null, lastIndex: null, voters: [], timestamp };
}

export function formatQuorumTable(summary: QuorumSummary): string[] {
  const header =
    `leader ${cell(summary.leaderId)}  term ${cell(summary.term)}  ` +
    `commit index ${cell(summary.commitIndex)}  last index ${cell(summary.lastIndex)}`;
  const rows = summary.voters.map((voter) => [
    String(voter.id),
    voter.address,
    voter.id === summary.leaderId ? 'leader' : 'voter',
    cell(voter.matchIndex),
    cell(voter.lag),
    cell(voter.lastContactMsAgo),
    cell(voter.reachable),
  ]);
  return [
    header,
    ...formatTable(['ID', 'ADDRESS', 'ROLE', 'MATCH INDEX', 'LAG', 'LAST CONTACT MS', 'REACHABLE'], rows),
  ];
}

/** One compact line per poll for `--watch` without `--json`. */
export function formatQuorumLine(summary: QuorumSummary): string {
  if (summary.term === null) return `${new Date(summary.timestamp).toISOString()}  no controller answered`;
  const lags = summary.voters
    .map((voter) => `${voter.id}:${voter.reachable ? cell(voter.lag) : 'down'}`)
    .join(' ');
  return (
    `${new Date(summary.timestamp).toISOString()}  leader ${cell(summary.leaderId)}  term ${summary.term}  ` +
    `commit ${cell(summary.commitIndex)}  last ${cell(summary.lastIndex)}  lag ${lags}`
  );
}

class QuorumProbe {
  private readonly clients: { address: string; client: ControllerAdminClient }[];

  constructor(addresses: readonly string[]) {
    this.clients = addresses.map((address) => ({ address, client: createControllerAdminClient(address) }));
  }

  /** Every controller at once; a failure (dead, slow) becomes a null response, never a rejection. */
  probe(deadlineMs: number): Promise<QuorumAnswer[]> {
    return Promise.all(
      this.clients.map(({ address, client }) =>
        unary(client, 'describeQuorum', {}, { deadlineMs }).then(
          (response) => ({ address, response }),
          () => ({ address, response: null }),
        ),
      ),
    );
  }

  close(): void {
    for (const { client } of this.clients) client.close();
  }
}

export interface QuorumDescribeOptions {
  readonly watch: boolean;
  readonly intervalMs: number;
}

export async function quorumDescribe(context: CommandContext, options: QuorumDescribeOptions): Promise<void> {
  const { io } = context;
  const probe = new QuorumProbe(context.options.controllers);
  const deadlineMs = Math.min(context.options.timeoutMs, QUORUM_CALL_TIMEOUT_MS_MAX);
  const now = () => io.clock.wallMs();
  try {
    if (!options.watch) {
      const summary = summarizeQuorum(await probe.probe(deadlineMs), now());
      if (summary === null) {
        throw new TributaryError(
          'LEADER_NOT_AVAILABLE',
          `no controller answered (${context.options.controllers.join(',')})`,
        );
      }
      if (context.options.json) io.out(jsonLine(summary));
      else for (const line of formatQuorumTable(summary)) io.out(line);
      return;
    }
    while (!io.signal.aborted) {
      const summary = summarizeQuorum(await probe.probe(deadlineMs), now()) ?? noQuorumSummary(now());
      io.out(context.options.json ? jsonLine(summary) : formatQuorumLine(summary));
      await sleep(options.intervalMs, undefined, { signal: io.signal }).catch((error: unknown) => {
        if (!io.signal.aborted) throw asTributaryError(error);
      });
    }
  } finally {
    probe.close();
  }
}
