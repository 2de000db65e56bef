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
import { serviceMain } from '@tributary/core';
import { pino } from 'pino';
import { ConfigError, parseControllerArgs, USAGE } from '../config.js';
import { startController } from '../controller-node.js';

serviceMain({
  name: 'tributary-controller',
  usage: USAGE,
  parse: parseControllerArgs,
  isArgumentError: (error): error is ConfigError => error instanceof ConfigError,
  logger: (config) => pino({ level: config.logLevel }),
  start: (config, logger) => startController({ ...config, logger }),
}).catch((error: unknown) => {
  pino().fatal({ err: error }, 'controller failed to start');
  process.exit(1);
});
