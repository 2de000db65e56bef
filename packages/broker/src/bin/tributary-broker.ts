#!/usr/bin/env node
/**
 * tributary-broker: one broker of the cluster (DESIGN §2).
 *
 *   tributary-broker --node-id 1 --listen 127.0.0.1:9092 --data-dir /var/lib/trib/b1 \
 *     --controllers 127.0.0.1:9093,127.0.0.1:9094,127.0.0.1:9095
 *
 * Bad flags: one line on stderr, exit 2. SIGTERM/SIGINT: controlled shutdown (leaderships handed over), then a clean close, exit 0.
 * Unhandled errors: logged fatal, exit 1.
 */
import { serviceMain } from '@tributary/core';
import { pino } from 'pino';
import { startBroker } from '../node/broker-node.js';
import { ConfigError, parseBrokerArgs, USAGE } from '../node/config.js';
import { installLogDirFault, type LogDirFault } from '../node/test-faults.js';

let injectedFault: LogDirFault | null = null;

serviceMain({
  name: 'tributary-broker',
  usage: USAGE,
  parse: (argv) => {
    const config = parseBrokerArgs(argv);
    // Test-only (refused without TRIBUTARY_TEST_MODE=1): see node/test-faults.ts.
    if (config !== null) injectedFault = installLogDirFault(process.env);
    return config;
  },
  isArgumentError: (error): error is ConfigError => error instanceof ConfigError,
  logger: (config) => pino({ level: config.logLevel }),
  start: (config, logger) => {
    if (injectedFault !== null) logger.warn({ fault: injectedFault }, 'TEST MODE: a disk fault is injected');
    return startBroker({
      ...config,
      logger,
      // Kafka halts a broker whose every log directory failed: it can serve nothing, and its restart after
      // the repair is what recovers the directories.
      onAllLogDirsOffline: () => process.exit(1),
    });
  },
}).catch((error: unknown) => {
  pino().fatal({ err: error }, 'broker failed to start');
  process.exit(1);
});
