/**
 * Topics and coordinators for the transaction and compaction end-to-end tests: topics made through the
 * controller's admin API (with configs), ready only once every partition has its full ISR and a leader that
 * serves it (the same readiness the Kafka-client tests wait for), and the broker that coordinates a
 * transactional id, asked as a client would.
 */
import { createTransactionCoordinatorClient, unary } from '@tributary/protocol';
import type { Cluster } from '../cluster.js';
import { waitForFullIsr, waitForLeadersServing } from '../kafka/shared.js';
import { HARNESS_LIMITS } from '../limits.js';
import { waitFor } from '../wait.js';

const COORDINATOR_LOOKUP_TIMEOUT_MS = 20_000;

export async function createTopic(
  cluster: Cluster,
  name: string,
  partitions: number,
  configs: Readonly<Record<string, string>> = {},
): Promise<void> {
  await cluster.quorum.admin().admin('CreateTopic', {
    name,
    partitions,
    replicationFactor: 3,
    configs: Object.entries(configs).map(([key, value]) => ({ name: key, value })),
  });
  await waitForFullIsr(cluster, name, 3);
  await waitForLeadersServing(cluster, name);
}

/** The node id of the broker coordinating `transactionalId` (FindTransactionCoordinator on a live broker). */
export async function transactionCoordinatorOf(cluster: Cluster, transactionalId: string): Promise<number> {
  const brokers = cluster.brokers.filter((b) => b.isRunning);
  return waitFor(
    `the coordinator of transactional id ${transactionalId}`,
    async () => {
      for (const broker of brokers) {
        const client = createTransactionCoordinatorClient(broker.address);
        try {
          const answer = await unary(
            client,
            'FindTransactionCoordinator',
            { transactionalId },
            { deadlineMs: HARNESS_LIMITS.rpcDeadlineMs },
          );
          if (answer.errorCode === '' && answer.nodeId >= 0) return answer.nodeId;
        } catch {
          // The next broker may answer.
        } finally {
          client.close();
        }
      }
      return undefined;
    },
    { timeoutMs: COORDINATOR_LOOKUP_TIMEOUT_MS },
  );
}
