import type { TributaryError } from '@tributary/core';
import { type ControllerProcess, type ControllerQuorum, waitFor } from '@tributary/testkit';

export interface FailoverRun {
  /** SIGKILL sent -> first CreateTopic committed on the new leader. undefined: not within the timeout. */
  readonly failoverMs: number | undefined;
  readonly killedId: number;
  readonly newLeaderId: number | undefined;
  readonly oldTerm: number;
  readonly attempts: number;
}

const ATTEMPT_INTERVAL_MS = 10;
const ATTEMPT_DEADLINE_MS = 250;
const FAILOVER_TIMEOUT_MS = 10_000;
const CATCH_UP_TIMEOUT_MS = 20_000;

function codeOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error
    ? String((error as TributaryError).code)
    : undefined;
}

/**
 * Kills the active controller with SIGKILL and measures until a CreateTopic commits on a successor. Every
 * ~10 ms each live controller without a call in flight gets the same CreateTopic with a short deadline;
 * a NOT_CONTROLLER hint sends to the hinted node at once. Success, or TOPIC_ALREADY_EXISTS (an earlier
 * attempt committed), ends the measurement. Then the killed node restarts and catches up.
 */
export async function measureFailover(quorum: ControllerQuorum, runIndex: number): Promise<FailoverRun> {
  const before = await quorum.waitForLeader({ timeoutMs: 15_000 });
  const victim = before.leader;
  const survivors = quorum.live().filter((node) => node !== victim);
  const name = `failover-${runIndex}-${Date.now()}`;
  const inFlight = new Set<number>();
  const calls: Promise<void>[] = [];
  let committedAtMs: number | undefined;
  let committedBy: number | undefined;
  let attempts = 0;

  const send = (node: ControllerProcess, startedMs: number): void => {
    if (inFlight.has(node.nodeId) || committedAtMs !== undefined) return;
    inFlight.add(node.nodeId);
    attempts++;
    const call = node
      .client()
      .admin('CreateTopic', { name, partitions: 1, replicationFactor: 1 }, ATTEMPT_DEADLINE_MS)
      .then(
        () => ({ ok: true as const }),
        (error: unknown) => ({
          ok: codeOf(error) === 'TOPIC_ALREADY_EXISTS',
          error: error as TributaryError,
        }),
      )
      .then((outcome) => {
        inFlight.delete(node.nodeId);
        if (outcome.ok) {
          if (committedAtMs === undefined) {
            committedAtMs = performance.now();
            committedBy = node.nodeId;
          }
          return;
        }
        const hinted = survivors.find((survivor) => survivor.nodeId === outcome.error.leaderHint?.id);
        if (hinted !== undefined && hinted !== node && performance.now() - startedMs < FAILOVER_TIMEOUT_MS) {
          send(hinted, startedMs);
        }
      });
    calls.push(call);
  };

  const killedAtMs = performance.now();
  const exited = victim.kill('SIGKILL');
  while (committedAtMs === undefined && performance.now() - killedAtMs < FAILOVER_TIMEOUT_MS) {
    for (const node of survivors) send(node, killedAtMs);
    await new Promise((resolve) => setTimeout(resolve, ATTEMPT_INTERVAL_MS));
  }
  await exited;
  // Every call has a 250 ms deadline, so this ends; stragglers must not overlap the next run.
  await Promise.allSettled(calls);

  await victim.restart();
  const after = await quorum.waitForLeader({ timeoutMs: 15_000 });
  const leaderCommit = (await after.leader.describeQuorum()).commitIndex;
  await waitFor(
    `controller ${victim.nodeId} to catch up to ${leaderCommit}`,
    async () => ((await victim.describeQuorum()).commitIndex >= leaderCommit ? true : undefined),
    { timeoutMs: CATCH_UP_TIMEOUT_MS },
  );
  return {
    failoverMs: committedAtMs === undefined ? undefined : committedAtMs - killedAtMs,
    killedId: victim.nodeId,
    newLeaderId: committedBy,
    oldTerm: before.term,
    attempts,
  };
}
