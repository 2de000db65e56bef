#!/usr/bin/env node
/**
 * Probes the processes of a local cluster once, in parallel, and prints one line per target:
 *
 *   NAME pid=PID alive=yes|no grpc=SERVING|NOT_SERVING|answers|down metrics=ok|off|down detail=...
 *
 * usage: node deploy/local/probe.mjs [--deadline-ms N] [--tls-ca FILE [--tls-cert FILE --tls-key FILE]]
 *                                    KIND,NAME,GRPC_ADDR,METRICS_ADDR|-[,PID] ...
 *   KIND is controller or broker; without PID the process is not checked for liveness (the container health
 *   check of deploy/docker and the Kubernetes exec probes use it so). Exit 0 when every target is alive and
 *   ready (see below), else 1.
 *
 * TLS: with --tls-ca the gRPC port is dialled over TLS, the server verified against that CA only (its
 * certificate must name the host dialled: 127.0.0.1 or localhost in a container); --tls-cert/--tls-key present a
 * client certificate (a listener with --tls-client-auth required wants one; the process's own node certificate
 * does). Without the flags, TRIBUTARY_TLS_CA/_CERT/_KEY are used when set: a container's health check runs with
 * the process's environment, so it probes the way the process listens. The health service answers without
 * authentication (--require-authentication does not cover it); /metrics stays plain HTTP unless --metrics-tls.
 *
 * gRPC readiness is the standard grpc.health.v1.Health/Check (service ""); a process that does not serve the
 * health service yet (UNIMPLEMENTED) counts as ready when it answers its own RPC instead: a controller
 * DescribeQuorum with a known leader, a broker Metadata listing at least one broker. /metrics is probed when an
 * address is given; an address that does not answer is reported, and is a failure.
 */
import { readFileSync } from 'node:fs';
import { get } from 'node:http';
import * as grpc from '@grpc/grpc-js';

// grpc-js sets the TLS server name to the address dialled, an IP for 127.0.0.1: Node warns about it once per
// process (DEP0123), which would be every probe's output.
process.noDeprecation = true;

// @tributary/protocol is imported only for the fallback below (an older build without the health service):
// the probe runs every few seconds in containers, and loading the protos costs more than the probe itself.

const HEALTH_CHECK_METHOD = '/grpc.health.v1.Health/Check';
// grpc.health.v1.HealthCheckResponse.ServingStatus
const SERVING_STATUS = ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'];

const TLS_FLAGS = { '--tls-ca': 'ca', '--tls-cert': 'cert', '--tls-key': 'key' };
const TLS_ENV = { ca: 'TRIBUTARY_TLS_CA', cert: 'TRIBUTARY_TLS_CERT', key: 'TRIBUTARY_TLS_KEY' };

function parseArgs(argv) {
  let deadlineMs = 2_000;
  const targets = [];
  const tlsFiles = {};
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index];
    if (arg in TLS_FLAGS) {
      const file = argv[++index];
      if (!file) throw new Error(`${arg} needs a file`);
      tlsFiles[TLS_FLAGS[arg]] = file;
      continue;
    }
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
  return { deadlineMs, targets, credentials: credentialsOf(tlsFiles) };
}

/** Plaintext, or TLS with the given files (else the process's TRIBUTARY_TLS_* variables). */
function credentialsOf(flags) {
  const files = { ...flags };
  if (Object.keys(flags).length === 0) {
    for (const [key, name] of Object.entries(TLS_ENV)) if (process.env[name]) files[key] = process.env[name];
  }
  if (files.ca === undefined) {
    if (files.cert !== undefined || files.key !== undefined) throw new Error('--tls-cert/--tls-key need --tls-ca');
    return grpc.credentials.createInsecure();
  }
  if ((files.cert === undefined) !== (files.key === undefined)) throw new Error('--tls-cert and --tls-key go together');
  const read = (file) => readFileSync(file);
  return grpc.credentials.createSsl(
    read(files.ca),
    files.key === undefined ? null : read(files.key),
    files.cert === undefined ? null : read(files.cert),
  );
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
function healthCheck(address, credentials, deadlineMs) {
  const client = new grpc.Client(address, credentials);
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

async function ownRpc(target, credentials, deadlineMs) {
  const { createBrokerClient, createControllerAdminClient, unary } = await import('@tributary/protocol');
  if (target.kind === 'controller') {
    const client = createControllerAdminClient(target.grpcAddress, { credentials });
    try {
      const quorum = await unary(client, 'DescribeQuorum', {}, { deadlineMs });
      return { ready: quorum.leaderId >= 0, detail: `role=${quorum.role},leader=${quorum.leaderId}` };
    } finally {
      client.close();
    }
  }
  const client = createBrokerClient(target.grpcAddress, { credentials });
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

async function probe(target, credentials, deadlineMs) {
  const alive = isAlive(target.pid);
  if (!alive) return { target, alive, grpc: 'down', metrics: 'down', detail: '-', ready: false };
  const [health, metrics] = await Promise.all([
    healthCheck(target.grpcAddress, credentials, deadlineMs),
    metricsCheck(target.metricsAddress, deadlineMs),
  ]);
  let grpcState = health;
  let detail = '-';
  let grpcReady = health === 'SERVING';
  if (health === 'unimplemented') {
    try {
      const answer = await ownRpc(target, credentials, deadlineMs);
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
  const results = await Promise.all(
    options.targets.map((target) => probe(target, options.credentials, options.deadlineMs)),
  );
  for (const r of results) {
    process.stdout.write(
      `${r.target.name} pid=${r.target.pid ?? '-'} alive=${r.alive ? 'yes' : 'no'} grpc=${r.grpc} ` +
        `metrics=${r.metrics} ready=${r.ready ? 'yes' : 'no'} detail=${r.detail}\n`,
    );
  }
  process.exit(results.every((r) => r.ready) ? 0 : 1);
}

await main();
