/**
 * What bench:partitions reports besides wall-clock times, which on a shared machine say as much about the
 * other tenants as about Tributary: the CPU each process used (from /proc), and the metadata image's
 * snapshot — rebuilt here from the committed log a controller streams, then encoded and decoded as the
 * controllers' and brokers' snapshots are — with its size and the CPU its encoding and decoding take.
 */
import { readFile } from 'node:fs/promises';
import {
  decodeRecord,
  decodeSnapshot,
  encodeSnapshot,
  MetadataDelta,
  MetadataImage,
} from '@tributary/metadata';
import { createMetadataStreamClient, type FetchMetadataEvent__Output } from '@tributary/protocol';
import type { Cluster } from '@tributary/testkit';

/** Linux clock ticks per second (USER_HZ), the unit of /proc/<pid>/stat's utime and stime. */
const CLOCK_TICKS_PER_SECOND = 100;

/** User + system CPU seconds a process has used (Linux /proc); null when it cannot be read. */
export async function cpuSeconds(pid: number | undefined): Promise<number | null> {
  if (pid === undefined) return null;
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at the state, field 3; utime and stime
    // are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return Number.isFinite(utime) && Number.isFinite(stime) ? (utime + stime) / CLOCK_TICKS_PER_SECOND : null;
  } catch {
    return null;
  }
}

export interface ProcessCpu {
  readonly controllers: (number | null)[];
  readonly brokers: (number | null)[];
}

export async function processCpu(cluster: Cluster): Promise<ProcessCpu> {
  return {
    controllers: await Promise.all(cluster.quorum.nodes.map((node) => cpuSeconds(node.pid))),
    brokers: await Promise.all(cluster.brokers.map((broker) => cpuSeconds(broker.process.pid))),
  };
}

/** CPU seconds used between two readings, rounded to 0.1 s. */
export function cpuSince(before: ProcessCpu, after: ProcessCpu): ProcessCpu {
  const spent = (a: (number | null)[], b: (number | null)[]) =>
    b.map((value, i) => {
      const start = a[i];
      return value === null || start === null || start === undefined
        ? null
        : Math.round((value - start) * 10) / 10;
    });
  return {
    controllers: spent(before.controllers, after.controllers),
    brokers: spent(before.brokers, after.brokers),
  };
}

/** The committed metadata log from `address`, replayed into the image it describes. */
async function committedImage(address: string, deadlineMs: number): Promise<MetadataImage> {
  const client = createMetadataStreamClient(address);
  const call = client.FetchMetadata({ fromOffset: 1, follow: false }, { deadline: Date.now() + deadlineMs });
  let delta = new MetadataDelta(MetadataImage.EMPTY);
  let snapshotChunks: Buffer[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      call.on('data', (event: FetchMetadataEvent__Output) => {
        if (event.snapshot) {
          snapshotChunks.push(event.snapshot.data);
          if (!event.snapshot.last) return;
          delta = new MetadataDelta(decodeSnapshot(Buffer.concat(snapshotChunks)));
          snapshotChunks = [];
        } else if (event.entry) {
          const offset = Number(event.entry.offset);
          if (offset <= delta.offset) return;
          if (event.entry.records.length === 0) delta.advanceTo(offset);
          for (const bytes of event.entry.records) delta.replay(decodeRecord(bytes), offset);
        }
      });
      call.on('end', () => resolve());
      call.on('error', reject);
    });
  } finally {
    client.close();
  }
  return delta.apply();
}

export interface SnapshotFigures {
  readonly partitions: number;
  readonly bytes: number;
  readonly encodeCpuMs: number;
  readonly decodeCpuMs: number;
}

function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** The size of a snapshot of the committed image, and the CPU (this process) its encoding and decoding take. */
export async function snapshotFigures(address: string, deadlineMs: number): Promise<SnapshotFigures> {
  const image = await committedImage(address, deadlineMs);
  let started = cpuMs();
  const bytes = encodeSnapshot(image);
  const encodeCpuMs = cpuMs() - started;
  started = cpuMs();
  const decoded = decodeSnapshot(bytes);
  const decodeCpuMs = cpuMs() - started;
  return {
    partitions: decoded.partitionCount(),
    bytes: bytes.length,
    encodeCpuMs: Math.round(encodeCpuMs),
    decodeCpuMs: Math.round(decodeCpuMs),
  };
}
