#!/usr/bin/env node
/**
 * tributary-controller: one Raft voter of the controller quorum (DESIGN §2).
 *
 *   tributary-controller --node-id 1 --listen 127.0.0.1:9093 --data-dir /var/lib/trib/c1 \
 *     --voters 1@127.0.0.1:9093,2@127.0.0.1:9094,3@127.0.0.1:9095
 *
 * Bad flags: one line on stderr, exit 2. SIGTERM/SIGINT: clean close (leadership handed over), exit 0.
 * Unhandled errors: logged fatal, exit 1.
 */
import { runService } from '@tributary/core';
import { pino } from 'pino';
import { ConfigError, type ControllerConfig, parseControllerArgs, USAGE } from '../config.js';
import { startController } from '../controller-node.js';

function parseOrExit(): ControllerConfig {
  try {
    const config = parseControllerArgs(process.argv.slice(2));
    if (config === null) {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    }
    return config;
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`tributary-controller: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}

async function main(): Promise<void> {
  const config = parseOrExit();
  const logger = pino({ level: config.logLevel });
  await runService({ logger, start: () => startController({ ...config, logger }) });
}

main().catch((error: unknown) => {
  pino().fatal({ err: error }, 'controller failed to start');
  process.exit(1);
});
