/**
 * `trib brokers list`: the registered brokers as the active controller sees them (DescribeCluster);
 * `trib brokers decommission`: drain a broker (issue 7).
 */
import type { DescribeClusterResponse__Output } from '@tributary/protocol';
import type { Command } from 'commander';
import { type CommandContext, callOptions, withAdmin, withAdminConnection } from '../context.js';
import { cell, formatTable, jsonLine, list } from '../format.js';
import type { CliInput, Runner } from '../program.js';
import { addWaitOptions, parseRate, waitSettings } from './partition-commands.js';
import { adminCall, type WaitSettings } from './partitions.js';
import { partitionKey, watchReassignments } from './reassignment-watch.js';

export interface BrokerSummary {
  readonly id: number;
  readonly address: string;
  /** Its Kafka listener (DESIGN §9); null when it serves none. */
  readonly kafkaAddress: string | null;
  readonly rack: string | null;
  readonly fenced: boolean;
  readonly epoch: number;
}

export interface ClusterSummary {
  readonly clusterId: string;
  readonly controllerId: number | null;
  readonly metadataOffset: number;
  readonly brokers: readonly BrokerSummary[];
}

export function summarizeCluster(response: DescribeClusterResponse__Output): ClusterSummary {
  return {
    clusterId: response.clusterId,
    controllerId: response.controllerId < 0 ? null : response.controllerId,
    metadataOffset: response.metadataOffset,
    brokers: response.brokers
      .map((broker) => ({
        id: broker.brokerId,
        address: broker.address,
        kafkaAddress: broker.kafkaAddress === '' ? null : broker.kafkaAddress,
        rack: broker.rack === '' ? null : broker.rack,
        fenced: broker.fenced,
        epoch: broker.brokerEpoch,
      }))
      .sort((a, b) => a.id - b.id),
  };
}

export function formatBrokersTable(summary: ClusterSummary): string[] {
  const rows = summary.brokers.map((broker) => [
    String(broker.id),
    broker.address,
    cell(broker.kafkaAddress),
    cell(broker.rack),
    broker.fenced ? 'fenced' : 'unfenced',
    String(broker.epoch),
  ]);
  return formatTable(['ID', 'ADDRESS', 'KAFKA', 'RACK', 'STATE', 'EPOCH'], rows);
}

export async function brokersList(context: CommandContext): Promise<void> {
  const response = await withAdminConnection(context, (connection) =>
    connection.admin('describeCluster', {}, callOptions(context)),
  );
  const summary = summarizeCluster(response);
  if (context.options.json) context.io.out(jsonLine(summary));
  else for (const line of formatBrokersTable(summary)) context.io.out(line);
}

export interface DecommissionOptions extends WaitSettings {
  readonly bootstrap: readonly string[];
  readonly throttleBytesPerSec?: number;
  readonly cancel: boolean;
}

/**
 * `trib brokers decommission ID`: the controller stops placing replicas on the broker and reassigns each
 * of its replicas elsewhere; with --cancel it takes the broker back (moved replicas stay where they are).
 */
export async function brokersDecommission(
  context: CommandContext,
  brokerId: number,
  options: DecommissionOptions,
): Promise<void> {
  await withAdmin(context, options.bootstrap, async (admin) => {
    const started = await admin.decommissionBroker(brokerId, {
      ...adminCall(context),
      cancel: options.cancel,
      ...(options.throttleBytesPerSec === undefined
        ? {}
        : { throttleBytesPerSec: options.throttleBytesPerSec }),
    });
    const { io } = context;
    if (context.options.json) io.out(jsonLine({ brokerId, cancel: options.cancel, reassignments: started }));
    else if (options.cancel) io.out(`broker ${brokerId} taken back: new replicas may be placed on it again`);
    else {
      io.out(`decommissioning broker ${brokerId}: ${started.length} partition(s) moving off it`);
      for (const { topic, partition: p } of started) {
        const from = p.replicas.filter((id) => !p.addingReplicas.includes(id));
        const to = p.replicas.filter((id) => !p.removingReplicas.includes(id));
        io.out(`${partitionKey(topic, p.partition)}: ${list(from)} → ${list(to)}`);
      }
    }
    if (options.cancel || !options.wait || started.length === 0) return;
    await watchReassignments(context, admin, {
      follow: true,
      intervalMs: options.intervalMs,
      timeoutMs: options.waitTimeoutMs,
      only: new Set(started.map((s) => partitionKey(s.topic, s.partition.partition))),
      redraw: options.redraw && !context.options.json,
    });
  });
}

export function addDecommissionCommand(brokers: Command, run: Runner, input: CliInput): void {
  addWaitOptions(
    brokers
      .command('decommission <id>')
      .description('drain a broker: no new replicas on it, and its replicas are moved elsewhere')
      .option('--throttle <rate>', 'replication throttle per broker, e.g. 10MB or 50MiB (bytes/s)', parseRate)
      .option('--cancel', 'take the broker back: new replicas may be placed on it again'),
    '--wait',
    'wait until its replicas have moved, showing progress',
  ).action(
    run((context, command) => {
      const o = command.opts<{ throttle?: number; cancel?: boolean; wait?: boolean }>();
      const raw = String(command.args[0]);
      const brokerId = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
      if (!Number.isSafeInteger(brokerId)) {
        command.error(`error: broker id must be a non-negative integer, got "${raw}"`, {
          exitCode: 2,
          code: 'trib.usage',
        });
      }
      if (o.cancel === true && o.wait === true) {
        command.error('error: --wait does not go with --cancel', { exitCode: 2, code: 'trib.usage' });
      }
      return brokersDecommission(context, brokerId, {
        ...waitSettings(context, command, input, o.wait),
        bootstrap: command.optsWithGlobals<{ bootstrap: string[] }>().bootstrap,
        cancel: o.cancel === true,
        ...(o.throttle === undefined ? {} : { throttleBytesPerSec: o.throttle }),
      });
    }),
  );
}
