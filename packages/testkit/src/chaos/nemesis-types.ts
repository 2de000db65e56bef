/**
 * The contract between the chaos runner (workloads, history, checkers) and the nemesis (faults). The runner
 * starts a cluster, starts the nemesis on it, runs its workloads, then stops the nemesis — which heals every
 * fault it caused — before the final reads and the checks.
 */
import type { Cluster } from '../cluster.js';

export const NEMESIS_KINDS = ['kill', 'pause', 'partition', 'slow', 'corrupt', 'clock'] as const;
export type NemesisKind = (typeof NEMESIS_KINDS)[number];

export function isNemesisKind(value: string): value is NemesisKind {
  return (NEMESIS_KINDS as readonly string[]).includes(value);
}

/**
 * A --nemesis list as the campaign CLIs take it ("kill,pause"; "none" for no faults where `allowNone`); a
 * RangeError names the kinds it does not know.
 */
export function parseNemesisKinds(
  raw: string,
  options: { readonly allowNone?: boolean } = {},
): NemesisKind[] {
  if (options.allowNone === true && raw === 'none') return [];
  const kinds = raw.split(',').map((kind) => kind.trim());
  const unknown = kinds.filter((kind) => !isNemesisKind(kind));
  if (unknown.length > 0) {
    const choices = `${NEMESIS_KINDS.join(',')}${options.allowNone === true ? ' or none' : ''}`;
    throw new RangeError(`unknown nemesis ${unknown.join(',')}; choose from ${choices}`);
  }
  return kinds.filter(isNemesisKind);
}

/** One fault as injected (and when it was healed), for the summary and for anomaly reports. */
export interface FaultRecord {
  /** performance.now() of the injection. */
  readonly atMs: number;
  readonly kind: NemesisKind;
  /** e.g. "broker 2", "controller 1", "link broker 1 -> broker 3". */
  readonly target: string;
  readonly detail: string;
  healedAtMs?: number;
}

export interface NemesisOptions {
  readonly seed: number;
  readonly kinds: readonly NemesisKind[];
  /** Mean time between two faults; default 3,000 ms. */
  readonly intervalMs?: number;
  /** How long a fault lasts before it is healed; default 2,000–6,000 ms (seeded). */
  readonly faultDurationMs?: { readonly min: number; readonly max: number };
}

export interface Nemesis {
  /** Starts injecting faults on the seeded schedule. */
  start(): void;
  /** Stops injecting and heals everything (restart killed processes, resume paused ones, reconnect links). */
  stop(): Promise<void>;
  readonly faults: readonly FaultRecord[];
}

/** Creates the nemesis for a running cluster (started with link proxies when 'partition' or 'slow' is wanted). */
export type CreateNemesis = (cluster: Cluster, options: NemesisOptions) => Nemesis;
