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
import { type Logger, pino } from 'pino';
import { ConfigError, type ControllerConfig, parseControllerArgs, USAGE } from '../config.js';
import { type ControllerHandle, startController } from '../controller-node.js';

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
  // Until the controller runs (and owns a logger stamped with node, term and leader), log plainly.
  let logger: Logger = pino({ level: config.logLevel, base: { nodeId: config.nodeId } });
  const fatal = (error: unknown, what: string): void => {
    logger.fatal({ err: error }, what);
    process.exit(1);
  };
  process.on('uncaughtException', (error) => fatal(error, 'uncaught exception'));
  process.on('unhandledRejection', (error) => fatal(error, 'unhandled rejection'));

  let handle: ControllerHandle | undefined;
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const closed = handle === undefined ? Promise.resolve() : handle.close();
    closed.then(
      () => process.exit(0),
      (error: unknown) => fatal(error, 'clean shutdown failed'),
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  handle = await startController(config);
  logger = handle.logger;
  // A signal that arrived while starting: close now that there is something to close.
  if (stopping) await handle.close().then(() => process.exit(0));
}

main().catch((error: unknown) => {
  pino().fatal({ err: error }, 'controller failed to start');
  process.exit(1);
});
