/**
 * deploy/grafana/tributary-dashboard.json queries only metrics that real processes export (issue 17 item 5):
 * a cluster of real controllers and a broker, each with its /metrics endpoint, is scraped and every
 * `tributary_*` name in the dashboard's queries must be one of the exported families (a histogram's
 * `_bucket`/`_count`/`_sum` series count as its family). A renamed metric fails here, not on an operator's
 * empty panel.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startCluster } from './cluster.js';
import { waitFor } from './wait.js';

const DASHBOARD = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'deploy',
  'grafana',
  'tributary-dashboard.json',
);

interface Dashboard {
  readonly panels: readonly {
    readonly title: string;
    readonly targets: readonly { readonly expr: string }[];
  }[];
  readonly templating: { readonly list: readonly { readonly definition?: string }[] };
}

/** Metric families (name → type) from a Prometheus text exposition. */
function families(exposition: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const line of exposition.split('\n')) {
    const match = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (match?.[1] !== undefined && match[2] !== undefined) found.set(match[1], match[2]);
  }
  return found;
}

function exported(name: string, known: ReadonlyMap<string, string>): boolean {
  if (known.has(name)) return true;
  const series = /^(.*)_(bucket|count|sum)$/.exec(name);
  return series?.[1] !== undefined && ['histogram', 'summary'].includes(known.get(series[1]) ?? '');
}

async function scrape(address: string): Promise<string> {
  const response = await fetch(`http://${address}/metrics`);
  if (!response.ok) throw new Error(`GET http://${address}/metrics: ${response.status}`);
  return response.text();
}

/** The /metrics port a controller bound for --metrics-listen 127.0.0.1:0, from its start-up log line. */
function loggedMetricsPort(lines: readonly string[]): number | undefined {
  for (const line of lines) {
    const match = /"metricsPort":(\d+)/.exec(line);
    if (match?.[1] !== undefined) return Number(match[1]);
  }
  return undefined;
}

describe('the Grafana dashboard', () => {
  it('queries only metrics that brokers and controllers export', async () => {
    const dashboard = JSON.parse(await readFile(DASHBOARD, 'utf8')) as Dashboard;
    const queries = [
      ...dashboard.panels.flatMap((panel) =>
        panel.targets.map((target) => ({ panel: panel.title, expr: target.expr })),
      ),
      ...dashboard.templating.list.flatMap((variable) =>
        variable.definition === undefined ? [] : [{ panel: 'variables', expr: variable.definition }],
      ),
    ];
    expect(queries.length).toBeGreaterThan(10);
    const cluster = await startCluster({
      brokers: 1,
      metrics: true,
      controllerArgs: ['--metrics-listen', '127.0.0.1:0'],
    });
    try {
      const known = new Map<string, string>();
      const broker = cluster.brokers[0];
      if (broker?.metricsAddress === null || broker === undefined)
        throw new Error('the broker has no /metrics');
      for (const [name, type] of families(await scrape(broker.metricsAddress))) known.set(name, type);
      for (const node of cluster.quorum.nodes) {
        const port = await waitFor(
          `controller ${node.nodeId}'s metrics port in its log`,
          async () => loggedMetricsPort(node.output.tail(200)),
          { timeoutMs: 10_000 },
        );
        for (const [name, type] of families(await scrape(`127.0.0.1:${port}`))) known.set(name, type);
      }
      const missing = queries.flatMap(({ panel, expr }) =>
        [...expr.matchAll(/\btributary_[a-z0-9_]+/g)]
          .map((match) => match[0])
          .filter((name) => !exported(name, known))
          .map((name) => `${panel}: ${name}`),
      );
      expect(missing).toEqual([]);
    } finally {
      await cluster.stop();
    }
  }, 120_000);
});
