/**
 * For testkit's own vitest files: a fresh 3+3 (or as configured) cluster per test, always stopped after it,
 * with every process's log tail printed when the test fails. Clean-ups registered during a test (clients,
 * consumers, child processes) run first, newest first. Not exported from the package: it registers vitest hooks.
 */
import { afterEach } from 'vitest';
import { type Cluster, type ClusterOptions, startCluster } from './cluster.js';

export interface ClusterPerTest {
  /** Starts the cluster, runs the body, prints the log tails if it throws. */
  withCluster(body: (cluster: Cluster) => Promise<void>): Promise<void>;
  /** Runs after this test, before the cluster stops. */
  onCleanup(cleanup: () => unknown): void;
}

export function clusterPerTest(options: ClusterOptions = { brokers: 3 }): ClusterPerTest {
  let cluster: Cluster | undefined;
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch (error) {
        console.error('clean-up after the test failed', error);
      }
    }
    await cluster?.stop();
    cluster = undefined;
  });
  return {
    async withCluster(body) {
      cluster = await startCluster(options);
      try {
        await body(cluster);
      } catch (error) {
        console.error(`test failed; process output follows\n${cluster.dump(60)}`);
        throw error;
      }
    },
    onCleanup(cleanup) {
      cleanups.push(cleanup);
    },
  };
}
