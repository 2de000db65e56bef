/**
 * ControllerAdmin.AddVoter / RemoveVoter: controller quorum membership changes, one server at a time
 * (Raft thesis §4.1; the voter set lives in the Raft log, see packages/raft/src/membership.ts). Active
 * controller only (NOT_CONTROLLER with the leader hint elsewhere).
 *
 *   AddVoter:    add the node as a learner (the leader starts replicating to it), wait — bounded — until
 *                it has acknowledged the log to within CATCH_UP_ENTRIES_MAX of the leader's last index
 *                (see caughtUp), then promote it; answer once the promotion commits. A retry after a
 *                timeout resumes: a node already a learner is not added again. Promoting a node that cannot
 *                keep up would stall commits if another voter failed.
 *   RemoveVoter: propose the removal and answer once it commits. When the active controller removes
 *                itself, it answers and then steps down (the core hands leadership to a caught-up voter).
 */
import { type LogIndex, type NodeId, nodeId, TributaryError, WIRE_LIMITS } from '@tributary/core';
import {
  type AddVoterResponse,
  type ControllerAdminHandlers,
  handleUnary,
  type RemoveVoterResponse,
  requireIntInRange,
} from '@tributary/protocol';
import { type MembershipChange, validAddress } from '@tributary/raft';
import { type ControllerAdminOptions, describeQuorum } from './controller-admin.js';

type HandleOptions = { readonly onUnexpectedError: (error: unknown) => void };

/** How long AddVoter waits by default for the new node to catch up before answering REQUEST_TIMED_OUT. */
export const ADD_VOTER_CATCH_UP_MS = 60_000;
/** A learner this close to the leader's last index is caught up enough to become a voter. */
export const CATCH_UP_ENTRIES_MAX = 10;
/**
 * One node id bound for brokers and controllers (Kafka's node.id, a non-negative int32): in combined mode
 * one process is both, and ids travel as uint32 or int32 depending on the message.
 */
const NODE_ID_MAX = WIRE_LIMITS.nodeIdMax;
const POLL_MS_MIN = 5;
/** A learner is promoted only if the leader heard from it this recently (heartbeats come far more often). */
const RECENT_CONTACT_MS = 1_000;

export function createQuorumHandlers(
  options: ControllerAdminOptions,
  handleOptions: HandleOptions,
): Pick<ControllerAdminHandlers, 'AddVoter' | 'RemoveVoter'> {
  return {
    AddVoter: handleUnary(async (request): Promise<AddVoterResponse> => {
      const id = nodeId(requireIntInRange(request.voterId, 'voter_id', { max: NODE_ID_MAX }));
      const address = requireAddress(request.address, 'address');
      await addVoter(options, id, address);
      return { voters: describeQuorum(options).voters ?? [] };
    }, handleOptions),
    RemoveVoter: handleUnary(async (request): Promise<RemoveVoterResponse> => {
      const id = nodeId(requireIntInRange(request.voterId, 'voter_id', { max: NODE_ID_MAX }));
      options.quorum.requireActive();
      const status = options.driver.status();
      if (!status.voters.includes(id) && !status.learners.includes(id)) {
        throw new TributaryError('VOTER_NOT_FOUND', `voter_id: node ${id} is not a voter`);
      }
      await commitChange(options, { type: 'remove', id });
      options.logger.info({ voter: id }, 'controller quorum: voter removed');
      return { voters: describeQuorum(options).voters ?? [] };
    }, handleOptions),
  };
}

function requireAddress(value: string, field: string): string {
  const port = Number(value.slice(value.lastIndexOf(':') + 1));
  if (!validAddress(value) || port < 1 || port > 65_535) {
    throw new TributaryError(
      'INVALID_REQUEST',
      `${field}: must be HOST:PORT with a port in [1, 65535], got "${value}"`,
    );
  }
  return value;
}

async function addVoter(options: ControllerAdminOptions, id: NodeId, address: string): Promise<void> {
  options.quorum.requireActive();
  const status = options.driver.status();
  if (status.voters.includes(id))
    throw new TributaryError('DUPLICATE_VOTER', `voter_id: node ${id} is already a voter`);
  const known = status.addresses[String(id)];
  if (status.learners.includes(id) && known !== address) {
    throw new TributaryError(
      'INVALID_REQUEST',
      `address: node ${id} is being added at ${known ?? 'an unknown address'}, not ${address}; remove it first`,
    );
  }
  if (!status.learners.includes(id)) {
    await commitChange(options, { type: 'add-learner', id, address });
    options.logger.info(
      { voter: id, address },
      'controller quorum: learner added, waiting for it to catch up',
    );
  }
  await waitCaughtUp(options, id);
  await commitChange(options, { type: 'promote', id });
  options.logger.info({ voter: id, address }, 'controller quorum: voter added');
}

/**
 * Proposes `change` and waits for it to commit. A leader that removed itself steps down as the removal
 * commits, which may reject the wait with NOT_CONTROLLER just after the commit: the entry is then found in
 * our own log, committed, in the term we proposed it.
 */
async function commitChange(options: ControllerAdminOptions, change: MembershipChange): Promise<void> {
  const driver = options.driver;
  let proposal: ReturnType<typeof driver.proposeMembership>;
  try {
    proposal = driver.proposeMembership(change);
  } catch (error) {
    throw asNotController(options, error);
  }
  const term = driver.status().term;
  try {
    await proposal.committed;
  } catch (error) {
    if (committedInOwnLog(options, proposal.index, term)) return;
    throw asNotController(options, error);
  }
}

function committedInOwnLog(options: ControllerAdminOptions, index: LogIndex, term: number): boolean {
  const status = options.driver.status();
  if (status.commit < index || index < options.storage.firstIndex()) return false;
  try {
    return options.storage.term(index) === term;
  } catch {
    return false;
  }
}

function asNotController(options: ControllerAdminOptions, error: unknown): unknown {
  return error instanceof TributaryError && error.code === 'NOT_CONTROLLER'
    ? options.quorum.notController()
    : error;
}

/**
 * Whether a learner whose acknowledged index is `match` may be promoted. Match 0 means the learner has not
 * acknowledged anything to this leader (progress starts at 0, also after a leader change), so it is not
 * caught up however short the log is: promoting a node that never answered would make it a voter the
 * quorum cannot do without, and check-quorum would depose the leader (a one-voter leader at once: it then
 * needs two of two) until that node answers — forever if it is unreachable. A leader's log always holds its
 * no-op, so a caught-up learner has match >= 1. It must also have answered recently: one that caught up and
 * then stopped would be the same dead voter.
 */
function caughtUp(match: number, leaderLastIndex: number, msSinceContact: number): boolean {
  return match > 0 && leaderLastIndex - match <= CATCH_UP_ENTRIES_MAX && msSinceContact <= RECENT_CONTACT_MS;
}

/** Waits (bounded by options.addVoterCatchUpMs) until the learner is caught up (see caughtUp). */
async function waitCaughtUp(options: ControllerAdminOptions, id: NodeId): Promise<void> {
  const pollMs = Math.max(POLL_MS_MIN, options.tickMs);
  const polls = Math.ceil(options.addVoterCatchUpMs / pollMs);
  let behind = { match: 0, last: 0 };
  for (let i = 0; i <= polls; i++) {
    const status = options.driver.status();
    if (status.role !== 'leader') throw options.quorum.notController();
    if (!status.learners.includes(id)) {
      throw new TributaryError(
        'RECONFIGURATION_IN_PROGRESS',
        `node ${id} stopped being a learner while catching up`,
      );
    }
    const progress = status.progress?.get(id);
    const match = progress?.match ?? 0;
    behind = { match, last: status.lastIndex };
    const msSinceContact = (progress?.ticksSinceContact ?? Number.POSITIVE_INFINITY) * options.tickMs;
    if (caughtUp(match, status.lastIndex, msSinceContact)) return;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  throw new TributaryError(
    'REQUEST_TIMED_OUT',
    `node ${id} did not catch up within ${options.addVoterCatchUpMs} ms: it is ${behind.last - behind.match} entries behind ` +
      `(match ${behind.match}, leader's last index ${behind.last}); it stays a learner, retry AddVoter to promote it`,
  );
}
