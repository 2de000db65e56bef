#!/usr/bin/env node
/**
 * Probes the processes of a local cluster once, in parallel, and prints one line per target:
 *
 *   NAME pid=PID alive=yes|no grpc=SERVING|NOT_SERVING|answers|down metrics=ok|off|down detail=...
 *
 * usage: node deploy/local/probe.mjs [--deadline-ms N] KIND,NAME,GRPC_ADDR,METRICS_ADDR|-[,PID] ...
 *   KIND is controller or broker; without PID the process is not checked for liveness (the container health
 *   check of deploy/docker uses it so). Exit 0 when every target is alive and ready (see below), else 1.
 *
 * gRPC readiness is the standard grpc.health.v1.Health/Check (service ""); a process that does not serve the
 * health service yet (UNIMPLEMENTED) counts as ready when it answers its own RPC instead: a controller
 * DescribeQuorum with a known leader, a broker Metadata listing at least one broker. /metrics is probed when an
 * address is given; an address that does not answer is reported, and is a failure.
 */
import { get } from 'node:http';
import * as grpc from '@grpc/grpc-js';
import { createBrokerClient, createControllerAdminClient, unary } from '@tributary/protocol';

const HEALTH_CHECK_METHOD = '/grpc.health.v1.Health/Check';
// grpc.health.v1.HealthCheckResponse.ServingStatus
const SERVING_STATUS = ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'];

function parseArgs(argv) {
  let deadlineMs = 2_000;
  const targets = [];
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index];
    if (arg === '--deadline-ms') {
      deadlineMs = Number(argv[++index]);
      if (!Number.isInteger(deadlineMs) || deadlineMs < 1 || deadlineMs > 60_000) {
        throw new Error('--deadline-ms must be an integer in [1, 60000]');
      }
      continue;
    }
    const [kind, name, grpcAddress, metricsAddress, pid] = arg.split(',');
    if ((kind !== 'controller' && kind !== 'broker') || !name || !grpcAddress || !metricsAddress) {
      throw new Error(`bad target "${arg}": want KIND,NAME,GRPC_ADDR,METRICS_ADDR|-,PID`);
    }
    targets.push({ kind, name, grpcAddress, metricsAddress, pid: pid ? Number(pid) : undefined });
  }
  if (targets.length === 0) throw new Error('no targets');
  return { deadlineMs, targets };
}

function isAlive(pid) {
  // Without a pid (a container health check probing its own process) only the ports tell.
  if (pid === undefined) return true;
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else (not ours, but alive).
    return error.code === 'EPERM';
  }
}

/** Health/Check with service "": the request is the empty message; the response is field 1 (enum). */
function healthCheck(address, deadlineMs) {
  const client = new grpc.Client(address, grpc.credentials.createInsecure());
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      HEALTH_CHECK_METHOD,
      () => Buffer.alloc(0),
      (bytes) => (bytes.length >= 2 && bytes[0] === 0x08 ? bytes[1] : 0),
      {},
      { deadline: Date.now() + deadlineMs },
      (error, status) => {
        client.close();
        if (error) resolve(error.code === grpc.status.UNIMPLEMENTED ? 'unimplemented' : 'down');
        else resolve(SERVING_STATUS[status] ?? 'UNKNOWN');
      },
    );
  });
}

async function ownRpc(target, deadlineMs) {
  if (target.kind === 'controller') {
    const client = createControllerAdminClient(target.grpcAddress);
    try {
      const quorum = await unary(client, 'DescribeQuorum', {}, { deadlineMs });
      return { ready: quorum.leaderId >= 0, detail: `role=${quorum.role},leader=${quorum.leaderId}` };
    } finally {
      client.close();
    }
  }
  const client = createBrokerClient(target.grpcAddress);
  try {
    const metadata = await unary(
      client,
      'Metadata',
      { topics: [], allowAutoTopicCreation: false },
      { deadlineMs },
    );
    return { ready: metadata.brokers.length > 0, detail: `brokers=${metadata.brokers.length}` };
  } finally {
    client.close();
  }
}

function metricsCheck(address, deadlineMs) {
  if (address === '-') return Promise.resolve('off');
  return new Promise((resolve) => {
    const request = get(`http://${address}/metrics`, { timeout: deadlineMs }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => {
        if (body.length < 4_096) body += chunk;
      });
      response.on('end', () => resolve(response.statusCode === 200 && body.includes('# ') ? 'ok' : 'bad'));
    });
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', () => resolve('down'));
  });
}

async function probe(target, deadlineMs) {
  const alive = isAlive(target.pid);
  if (!alive) return { target, alive, grpc: 'down', metrics: 'down', detail: '-', ready: false };
  const [health, metrics] = await Promise.all([
    healthCheck(target.grpcAddress, deadlineMs),
    metricsCheck(target.metricsAddress, deadlineMs),
  ]);
  let grpcState = health;
  let detail = '-';
  let grpcReady = health === 'SERVING';
  if (health === 'unimplemented') {
    try {
      const answer = await ownRpc(target, deadlineMs);
      grpcState = 'answers';
      grpcReady = answer.ready;
      detail = answer.detail;
    } catch (error) {
      grpcState = 'down';
      detail = String(error?.message ?? error).split('\n')[0].replaceAll(' ', '_');
    }
  }
  const ready = grpcReady && (metrics === 'ok' || metrics === 'off');
  return { target, alive, grpc: grpcState, metrics, detail, ready };
}

async function main() {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`probe: ${error.message}\n`);
    process.exit(2);
  }
  const results = await Promise.all(options.targets.map((target) => probe(target, options.deadlineMs)));
  for (const r of results) {
    process.stdout.write(
      `${r.target.name} pid=${r.target.pid ?? '-'} alive=${r.alive ? 'yes' : 'no'} grpc=${r.grpc} ` +
        `metrics=${r.metrics} ready=${r.ready ? 'yes' : 'no'} detail=${r.detail}\n`,
    );
  }
  process.exit(results.every((r) => r.ready) ? 0 : 1);
}

await main();
