/** `trib brokers list`: the registered brokers as the active controller sees them (DescribeCluster). */
import type { DescribeClusterResponse__Output } from '@tributary/protocol';
import { type CommandContext, callOptions, withConnection } from '../context.js';
import { cell, formatTable, jsonLine } from '../format.js';

export interface BrokerSummary {
  readonly id: number;
  readonly address: string;
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
    cell(broker.rack),
    broker.fenced ? 'fenced' : 'unfenced',
    String(broker.epoch),
  ]);
  return formatTable(['ID', 'ADDRESS', 'RACK', 'STATE', 'EPOCH'], rows);
}

export async function brokersList(context: CommandContext): Promise<void> {
  const response = await withConnection(context, (connection) =>
    connection.admin('describeCluster', {}, callOptions(context)),
  );
  const summary = summarizeCluster(response);
  if (context.options.json) context.io.out(jsonLine(summary));
  else for (const line of formatBrokersTable(summary)) context.io.out(line);
}
