/**
 * For testkit's own vitest files that share one cluster between their tests (a cluster start costs seconds
 * of the serial run): started before the first test, stopped after the last, with every process's log tail
 * printed when a test fails. Clean-ups registered during a test run after it, newest first. Tests of such a
 * file use their own topics, groups and ids, and one that kills a process restarts it. Not exported from the
 * package: it registers vitest hooks.
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import { type Cluster, type ClusterOptions, startCluster } from './cluster.js';
import type { ManagedProcess } from './managed-process.js';

/** Starting 3 controllers and 3 brokers on a loaded 2-core machine. */
const CLUSTER_START_TIMEOUT_MS = 120_000;

export interface ClusterPerFile {
  /** Runs the body on the file's cluster, prints the log tails if it throws. */
  withCluster(body: (cluster: Cluster) => Promise<void>): Promise<void>;
  /** Runs after this test. */
  onCleanup(cleanup: () => unknown): void;
  /** A process of this test (a worker beside the cluster) whose log tail is printed too if the test fails. */
  dumpOnFailure(process: ManagedProcess): void;
}

export function clusterPerFile(options: ClusterOptions): ClusterPerFile {
  let cluster: Cluster | undefined;
  const cleanups: (() => unknown)[] = [];
  let extraProcesses: ManagedProcess[] = [];
  beforeAll(async () => {
    cluster = await startCluster(options);
  }, CLUSTER_START_TIMEOUT_MS);
  afterEach(async () => {
    extraProcesses = [];
    for (const cleanup of cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch (error) {
        console.error('clean-up after the test failed', error);
      }
    }
  });
  afterAll(async () => {
    await cluster?.stop();
    cluster = undefined;
  });
  return {
    async withCluster(body) {
      if (cluster === undefined) throw new Error("the file's cluster did not start");
      try {
        await body(cluster);
      } catch (error) {
        const extra = extraProcesses.map((p) => `\n${p.dump(80)}`).join('');
        console.error(`test failed; process output follows\n${cluster.dump(80)}${extra}`);
        throw error;
      }
    },
    onCleanup(cleanup) {
      cleanups.push(cleanup);
    },
    dumpOnFailure(process) {
      extraProcesses.push(process);
    },
  };
}
