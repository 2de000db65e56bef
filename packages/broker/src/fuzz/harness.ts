/**
 * Test harness for the broker's gRPC fuzz suites: the package's in-process cluster (a one-voter controller and
 * brokers over real gRPC). The raw client and the outcome check every fuzzed call must pass are shared with the controller's
 * suites (@tributary/protocol/testing/fuzz) and re-exported here.
 */
import { InProcessCluster } from '../testing/in-process-cluster.js';

export async function waitUntil(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 15_000,
): Promise<void> {
  const endMs = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > endMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The fuzz suites' cluster: brokers with a one-partition, RF 1 `__consumer_offsets`. */
export const FuzzCluster = {
  start: (): Promise<InProcessCluster> =>
    InProcessCluster.start({
      name: 'trib-fuzz',
      brokerDefaults: {
        controlledShutdownTimeoutMs: 2_000,
        offsetsTopicPartitions: 1,
        offsetsTopicReplicationFactor: 1,
      },
    }),
};
export type FuzzCluster = InProcessCluster;

export {
  assertProperty,
  expectCleanOutcome,
  FUZZ_CALL_DEADLINE_MS,
  isDeserializeError,
  type Outcome,
  RawClient,
  rawRequestBodies,
  serializeRequest,
} from '@tributary/protocol/testing/fuzz';
