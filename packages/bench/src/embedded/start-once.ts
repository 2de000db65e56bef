/**
 * One measured start of an embedded cluster, in a fresh process (embedded-bench.ts spawns it): prints one JSON
 * line with the milliseconds from process start to a started cluster (loading the modules included), from the
 * call to startEmbeddedCluster to its promise, and the process's RSS at that moment. `--baseline` measures an
 * empty process the same way (the same run's floor: node's own start-up and memory).
 */
const baseline = process.argv.includes('--baseline');
const brokersArg = process.argv[process.argv.indexOf('--brokers') + 1];
const brokers = brokersArg === undefined ? 1 : Number(brokersArg);

async function main(): Promise<void> {
  if (baseline) {
    console.log(
      JSON.stringify({
        sinceProcessStartMs: performance.now(),
        startMs: 0,
        rssBytes: process.memoryUsage().rss,
      }),
    );
    return;
  }
  const { startEmbeddedCluster } = await import('@tributary/testing');
  const beforeStartMs = performance.now();
  const cluster = await startEmbeddedCluster({ brokers });
  const readyMs = performance.now();
  const rssBytes = process.memoryUsage().rss;
  await cluster.close();
  console.log(JSON.stringify({ sinceProcessStartMs: readyMs, startMs: readyMs - beforeStartMs, rssBytes }));
}

await main();
