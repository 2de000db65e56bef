/**
 * `tributary dev`: the embedded single-node cluster for development (DESIGN §2). Today it runs a one-voter
 * controller quorum; the broker half (port 9092) joins this process when brokers land (issue 3).
 */
import { resolve } from 'node:path';
import { type ControllerHandle, startController } from '@tributary/controller';
import type { Logger } from 'pino';

export interface DevOptions {
  readonly dataDir: string;
  readonly controllerListen: string;
  readonly logger: Logger;
}

export const DEV_DEFAULTS = {
  dataDir: './data',
  controllerListen: '127.0.0.1:9093',
} as const;

export interface DevCluster {
  readonly controller: ControllerHandle;
  close(): Promise<void>;
}

/** Starts the dev cluster and waits until its controller is active (it is the only voter). */
export async function startDevCluster(options: DevOptions): Promise<DevCluster> {
  const dataDir = resolve(options.dataDir);
  const controller = await startController({
    nodeId: 1,
    listen: options.controllerListen,
    dataDir: resolve(dataDir, 'controller-1'),
    voters: [{ id: 1, address: options.controllerListen }],
    logger: options.logger.child({ component: 'controller' }),
  });
  return { controller, close: () => controller.close() };
}

/** What `tributary dev` prints once it is ready: where it listens and what to try next. */
export function devBanner(options: { controllerAddress: string; dataDir: string }): string[] {
  const c = `--controllers ${options.controllerAddress}`;
  return [
    '',
    `Tributary dev cluster is up.`,
    `  controller (Raft quorum of one): ${options.controllerAddress}`,
    `  data:                            ${resolve(options.dataDir)}`,
    '',
    'Try, in another terminal:',
    `  npx trib quorum describe ${c}`,
    `  npx trib brokers list ${c}`,
    `  npx trib metadata log ${c}`,
    '',
    'Brokers (and with them topics, produce and consume) arrive in the next milestone; until then',
    'topic creation answers INVALID_REPLICATION_FACTOR because no broker is registered.',
    'Stop with Ctrl-C.',
    '',
  ];
}
