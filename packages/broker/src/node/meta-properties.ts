/**
 * Kafka's meta.properties, one in each of a broker's data directories: which node (and cluster, when the
 * broker is told one) the directory belongs to, and the directory's own id. Checked at start-up, so that a
 * disk moved to the wrong broker, or directories of two brokers mixed on one command line, are refused with
 * the directory named instead of serving another broker's partitions.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TributaryError } from '@tributary/core';

export const META_PROPERTIES_FILE = 'meta.properties';
const META_PROPERTIES_VERSION = '1';

export interface MetaProperties {
  readonly nodeId: number;
  readonly directoryId: string;
  readonly clusterId?: string;
}

/** key=value lines ('#' comments and blank lines skipped); null when a required key is missing or bad. */
export function parseMetaProperties(text: string): MetaProperties | null {
  const values = new Map<string, string>();
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const equals = trimmed.indexOf('=');
    if (equals <= 0) return null;
    values.set(trimmed.slice(0, equals).trim(), trimmed.slice(equals + 1).trim());
  }
  const nodeIdText = values.get('node.id');
  const directoryId = values.get('directory.id');
  if (nodeIdText === undefined || !/^\d+$/.test(nodeIdText) || directoryId === undefined) return null;
  if (values.get('version') !== META_PROPERTIES_VERSION) return null;
  const clusterId = values.get('cluster.id');
  return {
    nodeId: Number(nodeIdText),
    directoryId,
    ...(clusterId === undefined || clusterId === '' ? {} : { clusterId }),
  };
}

export function formatMetaProperties(meta: MetaProperties): string {
  const lines = [
    '# Written by tributary-broker: the node this data directory belongs to.',
    `version=${META_PROPERTIES_VERSION}`,
    `node.id=${meta.nodeId}`,
    `directory.id=${meta.directoryId}`,
  ];
  if (meta.clusterId !== undefined) lines.push(`cluster.id=${meta.clusterId}`);
  return `${lines.join('\n')}\n`;
}

/**
 * The problem with a set of directories' properties, or null: every directory must name `nodeId`, and those
 * naming a cluster the same one (and `clusterId`, when the broker is given one); directory ids are distinct.
 */
export function checkMetaProperties(
  found: ReadonlyMap<string, MetaProperties>,
  nodeId: number,
  clusterId: string | undefined,
): string | null {
  const directoryIds = new Map<string, string>();
  let cluster: { id: string; dir: string } | undefined =
    clusterId === undefined ? undefined : { id: clusterId, dir: '--cluster-id' };
  for (const [dir, meta] of found) {
    if (meta.nodeId !== nodeId) {
      return `data directory ${dir} belongs to node ${meta.nodeId}, not to node ${nodeId} (its ${META_PROPERTIES_FILE})`;
    }
    const twin = directoryIds.get(meta.directoryId);
    if (twin !== undefined) return `data directories ${twin} and ${dir} have the same directory.id (a copy?)`;
    directoryIds.set(meta.directoryId, dir);
    if (meta.clusterId === undefined) continue;
    if (cluster !== undefined && cluster.id !== meta.clusterId) {
      return `data directory ${dir} belongs to cluster ${meta.clusterId}, ${cluster.dir} to cluster ${cluster.id}`;
    }
    cluster ??= { id: meta.clusterId, dir };
  }
  return null;
}

/**
 * Reads every directory's meta.properties, checks them together (checkMetaProperties: INVALID_CONFIG naming
 * the directory), and writes the missing ones (a new directory, or one from before this file existed).
 */
export async function ensureMetaProperties(
  dirs: readonly string[],
  nodeId: number,
  clusterId: string | undefined,
): Promise<Map<string, MetaProperties>> {
  const found = new Map<string, MetaProperties>();
  const missing: string[] = [];
  for (const dir of dirs) {
    await mkdir(dir, { recursive: true });
    const text = await readFile(join(dir, META_PROPERTIES_FILE), 'utf8').catch((error: unknown) => {
      if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return null;
      throw error;
    });
    if (text === null) {
      missing.push(dir);
      continue;
    }
    const meta = parseMetaProperties(text);
    if (meta === null) {
      throw new TributaryError('INVALID_CONFIG', `${join(dir, META_PROPERTIES_FILE)} is malformed`);
    }
    found.set(dir, meta);
  }
  const problem = checkMetaProperties(found, nodeId, clusterId);
  if (problem !== null) throw new TributaryError('INVALID_CONFIG', problem);
  const knownCluster =
    clusterId ?? [...found.values()].find((meta) => meta.clusterId !== undefined)?.clusterId;
  for (const dir of missing) {
    const meta: MetaProperties = {
      nodeId,
      directoryId: randomUUID(),
      ...(knownCluster === undefined ? {} : { clusterId: knownCluster }),
    };
    const path = join(dir, META_PROPERTIES_FILE);
    await writeFile(`${path}.tmp`, formatMetaProperties(meta));
    await rename(`${path}.tmp`, path);
    found.set(dir, meta);
  }
  return found;
}
