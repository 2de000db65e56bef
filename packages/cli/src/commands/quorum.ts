/**
 * `trib quorum describe`: asks every listed controller for its view of the Raft quorum at once,
 * tolerates dead ones, and reports the leader's view (the highest term wins if two claim to lead), voters
 * and observers (controllers being added, catching up before their promotion).
 * `trib quorum add-voter --id N --address H:P` / `remove-voter --id N`: one membership change at a time,
 * through the active controller; each answers once the change is committed.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { TributaryError } from '@tributary/core';
import {
  asTributaryError,
  type ClientOptions,
  type ControllerAdminClient,
  createControllerAdminClient,
  type DescribeQuorumResponse__Output,
  unary,
} from '@tributary/protocol';
import type { Command } from 'commander';
import { parseNonNegativeInt } from '../args.js';
import { type CommandContext, callOptions, clientOptions, withConnection } from '../context.js';
import { cell, formatTable, jsonLine, list } from '../format.js';
import type { Runner } from '../program.js';

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
  /** Non-voting members (learners), from the same view. */
  readonly observers: readonly VoterSummary[];
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
  const summarize = (voter: DescribeQuorumResponse__Output['voters'][number]): VoterSummary => ({
    id: voter.id,
    address: voter.address,
    matchIndex: leader === undefined ? null : voter.matchIndex,
    lag: leader === undefined ? null : voter.lag,
    lastContactMsAgo: leader === undefined || voter.lastContactMsAgo < 0 ? null : voter.lastContactMsAgo,
    reachable: answeredIds.has(voter.id),
  });
  return {
    leaderId: leader === undefined ? null : leader.nodeId,
    term: view.term,
    commitIndex: view.commitIndex,
    lastIndex: view.lastIndex,
    voters: view.voters.map(summarize),
    observers: (view.observers ?? []).map(summarize),
    timestamp,
  };
}

/**
 * A voter counts as reachable in a view relayed by a broker when the leader heard from it at most this
 * long ago: twice the longest election timeout (500 ms), while the leader contacts each voter every 50 ms.
 */
export const RELAYED_CONTACT_RECENT_MS_MAX = 1_000;

/**
 * The summary of one answer relayed by a broker (the active controller's, normally the leader's): nobody
 * else was asked, so reachability is the leader's own judgement of when it last heard from each member.
 */
export function summarizeRelayedQuorum(
  response: DescribeQuorumResponse__Output,
  timestamp: number,
): QuorumSummary {
  const summary = summarizeQuorum([{ address: '', response }], timestamp);
  if (summary === null) return noQuorumSummary(timestamp);
  const judged = (voter: VoterSummary): VoterSummary => ({
    ...voter,
    reachable:
      voter.id === response.nodeId ||
      (voter.lastContactMsAgo !== null && voter.lastContactMsAgo <= RELAYED_CONTACT_RECENT_MS_MAX),
  });
  return { ...summary, voters: summary.voters.map(judged), observers: summary.observers.map(judged) };
}

export function noQuorumSummary(timestamp: number): QuorumSummary {
  return {
    leaderId: null,
    term: null,
    commitIndex: null,
    lastIndex: null,
    voters: [],
    observers: [],
    timestamp,
  };
}

export function formatQuorumTable(summary: QuorumSummary): string[] {
  const header =
    `leader ${cell(summary.leaderId)}  term ${cell(summary.term)}  ` +
    `commit index ${cell(summary.commitIndex)}  last index ${cell(summary.lastIndex)}`;
  const members = [
    ...summary.voters.map((voter) => ({ voter, role: voter.id === summary.leaderId ? 'leader' : 'voter' })),
    ...summary.observers.map((voter) => ({ voter, role: 'observer' })),
  ];
  const rows = members.map(({ voter, role }) => [
    String(voter.id),
    voter.address,
    role,
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

  constructor(addresses: readonly string[], options: ClientOptions) {
    this.clients = addresses.map((address) => ({
      address,
      client: createControllerAdminClient(address, options),
    }));
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
  const probe = new QuorumProbe(context.options.controllers, clientOptions(context));
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

/** A membership change's answer: the voters once it committed. */
export interface MembershipChangeSummary {
  readonly change: 'add-voter' | 'remove-voter';
  readonly id: number;
  readonly voters: readonly { readonly id: number; readonly address: string }[];
}

/**
 * The deadline of a membership change: the controller waits up to a minute for a new voter to catch up,
 * so the global --timeout-ms is raised to at least this.
 */
export const MEMBERSHIP_CHANGE_TIMEOUT_MS_MIN = 90_000;

function membershipCallOptions(context: CommandContext): {
  deadlineMs: number;
  signal: AbortSignal;
  attemptTimeoutMs: number;
} {
  const options = callOptions(context);
  const deadlineMs = Math.max(options.deadlineMs, MEMBERSHIP_CHANGE_TIMEOUT_MS_MIN);
  // One attempt may take the whole deadline: a retry while the first attempt still runs would race it.
  return { ...options, deadlineMs, attemptTimeoutMs: deadlineMs };
}

function printMembershipChange(context: CommandContext, summary: MembershipChangeSummary): void {
  if (context.options.json) {
    context.io.out(jsonLine(summary));
    return;
  }
  const verb = summary.change === 'add-voter' ? 'added' : 'removed';
  context.io.out(`${verb} voter ${summary.id}; voters now ${list(summary.voters.map((voter) => voter.id))}`);
}

/** Adds controller `id` (started with --join, listening at `address`) to the quorum as a voter. */
export async function quorumAddVoter(context: CommandContext, id: number, address: string): Promise<void> {
  const response = await withConnection(context, (connection) =>
    connection.admin('addVoter', { voterId: id, address }, membershipCallOptions(context)),
  );
  const voters = response.voters.map((voter) => ({ id: voter.id, address: voter.address }));
  printMembershipChange(context, { change: 'add-voter', id, voters });
}

/** Removes controller `id` from the quorum. */
export async function quorumRemoveVoter(context: CommandContext, id: number): Promise<void> {
  const response = await withConnection(context, (connection) =>
    connection.admin('removeVoter', { voterId: id }, membershipCallOptions(context)),
  );
  const voters = response.voters.map((voter) => ({ id: voter.id, address: voter.address }));
  printMembershipChange(context, { change: 'remove-voter', id, voters });
}

/** `quorum add-voter` and `quorum remove-voter`, registered under the `quorum` command. */
export function addQuorumMembershipCommands(quorum: Command, run: Runner): void {
  quorum
    .command('add-voter')
    .description('add a controller (started with --join) as a voter, once it has caught up')
    .requiredOption('--id <n>', 'the controller’s node id', parseNonNegativeInt)
    .requiredOption('--address <host:port>', 'where the other controllers reach it')
    .action(
      run((context, command) => {
        const options = command.opts<{ id: number; address: string }>();
        return quorumAddVoter(context, options.id, options.address);
      }),
    );
  quorum
    .command('remove-voter')
    .description('remove a controller from the quorum (the active controller may remove itself)')
    .requiredOption('--id <n>', 'the controller’s node id', parseNonNegativeInt)
    .action(
      run((context, command) => {
        const options = command.opts<{ id: number }>();
        return quorumRemoveVoter(context, options.id);
      }),
    );
}
