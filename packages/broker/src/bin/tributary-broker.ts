#!/usr/bin/env node
/**
 * tributary-broker: one broker of the cluster (DESIGN §2).
 *
 *   tributary-broker --node-id 1 --listen 127.0.0.1:9092 --data-dir /var/lib/trib/b1 \
 *     --controllers 127.0.0.1:9093,127.0.0.1:9094,127.0.0.1:9095
 *
 * Bad flags: one line on stderr, exit 2. SIGTERM/SIGINT: controlled shutdown (leaderships handed over),
 * then a clean close, exit 0. Unhandled errors: logged fatal, exit 1.
 */
import { runService } from '@tributary/core';
import { pino } from 'pino';
import { startBroker } from '../node/broker-node.js';
import { type BrokerConfig, ConfigError, parseBrokerArgs, USAGE } from '../node/config.js';

function parseOrExit(): BrokerConfig {
  try {
    const config = parseBrokerArgs(process.argv.slice(2));
    if (config === null) {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    }
    return config;
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`tributary-broker: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}

async function main(): Promise<void> {
  const config = parseOrExit();
  const logger = pino({ level: config.logLevel });
  await runService({ logger, start: () => startBroker({ ...config, logger }) });
}

main().catch((error: unknown) => {
  pino().fatal({ err: error }, 'broker failed to start');
  process.exit(1);
});
