/**
 * startController: wires one controller process together — level-backed Raft storage, the Raft core
 * and its driver, the gRPC transport, the quorum controller, the broker-lease timer and a gRPC server
 * with every controller service. Used by the `tributary-controller` bin and by `tributary dev`.
 */
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  assert,
  type Clock,
  LIMITS,
  type LogIndex,
  type NodeId,
  nodeId,
  type Random,
  systemClock,
  systemRandom,
} from '@tributary/core';
import { type MetadataImage, readSnapshotHeader } from '@tributary/metadata';
import {
  addBrokerLifecycleService,
  addControllerAdminService,
  addMetadataStreamService,
  addRaftService,
  addStandardServices,
  bindServer,
  createServer,
  DEFAULT_PROCESS_SECURITY,
  guardServer,
  installAuthentication,
  instrumentServer,
  type MetricsServerHandle,
  type ProcessSecurity,
  type ProcessTls,
  processAccessControl,
  reloadTls,
  shutdownServer,
  startMetricsServer,
} from '@tributary/protocol';
import type { Status } from '@tributary/raft';
import { type Logger, pino } from 'pino';
import { BootstrapUser, type BootstrapUserCredentials } from './bootstrap-user.js';
import { CommandContextFactory } from './commands.js';
import { CONTROLLER_DEFAULTS, type LogLevel, type VoterAddress } from './config.js';
import { LeaderBalancer } from './leader-balancer.js';
import { LeaseManager } from './lease-manager.js';
import { ControllerMetrics } from './metrics/controller-metrics.js';
import { QuorumController } from './quorum-controller.js';
import { RaftDriver } from './raft-host/driver.js';
import { LevelRaftStorage } from './raft-host/level-storage.js';
import { createRaftCore } from './raft-host/raft-core.js';
import { createRaftHandlers } from './raft-host/raft-service.js';
import { RaftTransport } from './raft-host/transport.js';
import { createBrokerLifecycleHandlers } from './services/broker-lifecycle.js';
import { createControllerAdminHandlers } from './services/controller-admin.js';
import { MetadataStreamService } from './services/metadata-stream.js';
import { ADD_VOTER_CATCH_UP_MS } from './services/quorum-handlers.js';

/** How long close() waits for a leadership transfer before shutting down anyway. */
export const LEADERSHIP_TRANSFER_WAIT_MS = 1_000;
/** Entries kept before a snapshot point, at most, for slightly-behind followers. */
export const SNAPSHOT_TRAILING_ENTRIES_MAX = 1_000;

export interface ControllerOptions {
  readonly nodeId: number;
  /** host:port to listen on (port 0 picks a free port; see handle.port). */
  readonly listen: string;
  readonly dataDir: string;
  /** Every voter of the quorum, this node included (with `join`: the current voters, this node not). */
  readonly voters: readonly VoterAddress[];
  /**
   * Start outside the quorum, as a non-voter waiting for AddVoter (the leader replicates to it once it is a
   * learner). After that, and after any membership change, the membership comes from the log/snapshot.
   */
  readonly join?: boolean;
  readonly tickMs?: number;
  readonly electionTicks?: number;
  readonly heartbeatTicks?: number;
  readonly sessionTimeoutMs?: number;
  readonly heartbeatIntervalMs?: number;
  /** Fast failure detection (LeaseManager); default 2 × heartbeatIntervalMs. */
  readonly suspectAfterMs?: number;
  readonly snapshotIntervalEntries?: number;
  /** Defaults to a pino JSON logger on stdout at `logLevel`. */
  readonly logger?: Logger;
  readonly logLevel?: LogLevel;
  /** Defaults to an id derived from the voter list (stable for the life of the quorum). */
  readonly clusterId?: string;
  readonly random?: Random;
  readonly clock?: Clock;
  /** An unrecoverable error (failed fsync, broken invariant). Default: log fatal and exit(1). */
  readonly onFatal?: (error: unknown) => void;
  /** HOST:PORT of the Prometheus /metrics endpoint (port 0 picks a free port); unset = no endpoint. */
  readonly metricsListen?: string;
  /** Automatic leader balance (LeaderBalancer); default on. */
  readonly autoLeaderRebalance?: boolean;
  /** Default CONTROLLER_DEFAULTS.leaderImbalancePerBrokerPercentage. */
  readonly leaderImbalancePerBrokerPercentage?: number;
  /** Default CONTROLLER_DEFAULTS.leaderImbalanceCheckIntervalMs. */
  readonly leaderImbalanceCheckIntervalMs?: number;
  /** How long AddVoter waits for the new node to catch up; default ADD_VOTER_CATCH_UP_MS (60 s). */
  readonly addVoterCatchUpMs?: number;
  /**
   * TLS on the gRPC server (every service) and on the Raft links to the other voters, mutual when the files
   * say so; unset = plaintext. `tributary dev` shares one with its broker.
   */
  readonly tls?: ProcessTls;
  /** Serve /metrics over HTTPS with `tls` (--metrics-tls). */
  readonly metricsTls?: boolean;
  /** The bootstrap SCRAM user, created by the active controller while the log has no credential for it. */
  readonly bootstrapUser?: BootstrapUserCredentials;
  /**
   * Authentication (who may call, SCRAM sessions, certificate mapping, which callers may name a forwarded
   * caller) and the authorizer's settings; DEFAULT_PROCESS_SECURITY when unset.
   */
  readonly security?: ProcessSecurity;
}

export interface ControllerHandle {
  readonly nodeId: number;
  /** The port the gRPC server is bound to. */
  readonly port: number;
  /** The port of the /metrics endpoint; null without metricsListen. */
  readonly metricsPort: number | null;
  readonly logger: Logger;
  /** The Raft status of this controller. */
  status(): Status;
  /** Whether this controller is the active controller (leader with its no-op applied). */
  isActive(): boolean;
  /** The committed metadata image. */
  committedImage(): MetadataImage;
  /** Transfers leadership away (when leader, bounded wait), then stops timers, server and storage. */
  close(): Promise<void>;
  /** SIGHUP: re-reads the TLS files for new connections (logged; bad files leave the old ones in force). */
  reload(): void;
}

/** The tributary services a controller serves (each gets a health status). */
const CONTROLLER_SERVICE_NAMES = [
  'tributary.v1.Raft',
  'tributary.v1.ControllerAdmin',
  'tributary.v1.BrokerLifecycle',
  'tributary.v1.MetadataStream',
] as const;

export function defaultClusterId(voters: readonly VoterAddress[]): string {
  const spec = voters.map((v) => `${v.id}@${v.address}`).join(',');
  return `tributary-${createHash('sha256').update(spec).digest('hex').slice(0, 16)}`;
}

function validateOptions(options: ControllerOptions): void {
  assert(options.voters.length > 0, 'voters must not be empty');
  assert(options.voters.some((v) => v.id === options.nodeId) !== (options.join === true), () =>
    options.join === true
      ? `node ${options.nodeId} joins the quorum, so it must not be one of the voters`
      : `node ${options.nodeId} is not one of the voters`,
  );
  assert(new Set(options.voters.map((v) => v.id)).size === options.voters.length, 'voter ids must be unique');
}

export async function startController(options: ControllerOptions): Promise<ControllerHandle> {
  validateOptions(options);
  const self = nodeId(options.nodeId);
  const voters = [...options.voters].sort((a, b) => a.id - b.id);
  const tickMs = options.tickMs ?? CONTROLLER_DEFAULTS.tickMs;
  const snapshotIntervalEntries =
    options.snapshotIntervalEntries ?? CONTROLLER_DEFAULTS.snapshotIntervalEntries;
  // The default logger stamps every line with the current Raft term and leader (once Raft runs).
  let raftStatus: (() => Status) | undefined;
  const baseLogger =
    options.logger ??
    pino({
      level: options.logLevel ?? CONTROLLER_DEFAULTS.logLevel,
      mixin: () => {
        const status = raftStatus?.();
        return status === undefined ? {} : { term: status.term, leader: status.leaderId ?? -1 };
      },
    });
  const logger = baseLogger.child({ nodeId: self });
  const onFatal =
    options.onFatal ??
    ((error: unknown) => {
      logger.fatal({ err: error }, 'controller failed; exiting');
      process.exit(1);
    });

  await mkdir(options.dataDir, { recursive: true });
  const storage = await LevelRaftStorage.open(
    join(options.dataDir, 'raft'),
    voters.map((v) => nodeId(v.id)),
  );
  const snapshot = storage.snapshot();
  const quorum = new QuorumController({ voters, logger });
  if (snapshot.meta.index > 0) quorum.restore(snapshot);
  const electionTicks = options.electionTicks ?? CONTROLLER_DEFAULTS.electionTicks;
  const core = createRaftCore(
    {
      id: self,
      voters: voters.map((v) => nodeId(v.id)),
      electionTicks,
      heartbeatTicks: options.heartbeatTicks ?? CONTROLLER_DEFAULTS.heartbeatTicks,
      random: options.random ?? systemRandom,
      preVote: true,
      checkQuorum: true,
      applied: snapshot.meta.index,
      maxEntriesPerAppend: LIMITS.raftEntriesPerMessageMax,
      maxBytesPerAppend: LIMITS.raftBytesPerAppendMax,
    },
    storage,
  );
  let driverRef: RaftDriver | undefined;
  const transport = new RaftTransport({
    selfId: self,
    voters,
    logger,
    ...(options.tls === undefined ? {} : { credentials: options.tls.channelCredentials() }),
    onUnreachable: (peer) => driverRef?.reportUnreachable(peer),
    onSnapshotSent: (peer, ok) => driverRef?.reportSnapshot(peer, ok),
  });
  const driver = new RaftDriver({
    core,
    storage,
    stateMachine: quorum,
    sender: {
      // Peers follow the membership in force (new members reachable, removed ones forgotten).
      send: (messages) => {
        transport.syncMembers(core.status());
        transport.send(messages);
      },
    },
    logger,
    tickMs,
    snapshotIntervalEntries,
    snapshotTrailingEntries: Math.min(SNAPSHOT_TRAILING_ENTRIES_MAX, Math.floor(snapshotIntervalEntries / 2)),
    startTicks: voters.length === 1 ? 2 * electionTicks : 0,
    onFatal,
  });
  driverRef = driver;
  raftStatus = () => driver.status();
  quorum.attach(driver);
  const metrics = new ControllerMetrics({
    nodeId: self,
    status: () => driver.status(),
    isActive: () => quorum.isActive(),
    committedImage: () => quorum.committed,
  });
  driver.onLeaderChange((change) => metrics.onLeaderChange(change));
  driver.onCommitLatency((latencyMs) => metrics.onCommitLatency(latencyMs));
  quorum.onCommit((appliedIndex) => metrics.onApplied(appliedIndex));
  driver.onLeaderChange((change) => {
    const fields = { term: change.term, leader: change.leaderId ?? -1 };
    if (change.isLeader) logger.info(fields, 'became leader');
    else if (change.leaderId === null) logger.debug(fields, 'no leader known');
    else logger.info(fields, 'became follower');
  });

  const clock = options.clock ?? systemClock;
  const leaseManager = new LeaseManager({
    quorum,
    sessionTimeoutMs: options.sessionTimeoutMs ?? CONTROLLER_DEFAULTS.sessionTimeoutMs,
    suspectAfterMs:
      options.suspectAfterMs ?? 2 * (options.heartbeatIntervalMs ?? CONTROLLER_DEFAULTS.heartbeatIntervalMs),
    clock,
    logger,
  });
  const metadataStream = new MetadataStreamService({ quorum, storage, logger });
  const leaderBalancer =
    (options.autoLeaderRebalance ?? CONTROLLER_DEFAULTS.autoLeaderRebalance)
      ? new LeaderBalancer({
          quorum,
          checkIntervalMs:
            options.leaderImbalanceCheckIntervalMs ?? CONTROLLER_DEFAULTS.leaderImbalanceCheckIntervalMs,
          imbalancePercentage:
            options.leaderImbalancePerBrokerPercentage ??
            CONTROLLER_DEFAULTS.leaderImbalancePerBrokerPercentage,
          logger,
        })
      : null;
  const bootstrapUser =
    options.bootstrapUser === undefined
      ? null
      : new BootstrapUser({ quorum, credentials: options.bootstrapUser, logger });
  const server = createServer();
  // Before any service is added: every RPC gets a request id and a latency observation.
  instrumentServer(server, { onCallEnd: metrics.observeRpc, logger });
  // Then every call is authenticated (Auth and health excepted) against the committed image's credentials;
  // calls forwarded by brokers name their original caller, honoured because brokers are super users.
  installAuthentication(server, {
    security: options.security ?? DEFAULT_PROCESS_SECURITY,
    credential: (user, mechanism) => quorum.committed.scram.credential(user, mechanism),
    // As brokers derive it (from a configured cluster id only), so both answer an unknown user alike.
    ...(options.clusterId === undefined ? {} : { clusterId: options.clusterId }),
    clock,
    logger: logger.child({ subsystem: 'auth' }),
  });
  // Then every authenticated call is authorized by the one table (GRPC_METHOD_ACCESS), over the ACLs of the
  // committed image (a forwarded call is decided for its original caller).
  guardServer(server, {
    access: processAccessControl({
      security: options.security ?? DEFAULT_PROCESS_SECURITY,
      acls: () => quorum.committed.acls.byId,
      logger: logger.child({ subsystem: 'authorizer' }),
      registry: metrics.registry,
      nowMs: () => clock.nowMs(),
    }),
    topicNameOfId: (topicId) => quorum.committed.topicsById.get(topicId)?.name,
  });
  addRaftService(
    server,
    createRaftHandlers({
      selfId: self,
      acceptsFrom: (id) => {
        const status = driver.status();
        const isMember = (n: NodeId) => status.voters.includes(n) || status.learners.includes(n);
        // The leader too: one that removed itself leads until its removal commits.
        return isMember(id) || voters.some((v) => v.id === id) || status.leaderId === id || !isMember(self);
      },
      step: (message) => driver.step(message),
      // The header and CRC only: restore() decodes the records, once (at 100,000 partitions a decode here
      // too cost the receiving controller a second of replay).
      validateSnapshot: (data, index) => {
        if (data.length === 0 && index === 0) return;
        const { offset } = readSnapshotHeader(data);
        if (offset !== index) throw new RangeError(`its image is at offset ${offset}`);
      },
      logger,
    }),
  );
  addControllerAdminService(
    server,
    createControllerAdminHandlers({
      quorum,
      contexts: new CommandContextFactory({ random: options.random ?? systemRandom, clock }),
      driver,
      storage,
      voters,
      tickMs,
      addVoterCatchUpMs: options.addVoterCatchUpMs ?? ADD_VOTER_CATCH_UP_MS,
      clusterId: options.clusterId ?? defaultClusterId(voters),
      logger,
    }),
  );
  addBrokerLifecycleService(server, createBrokerLifecycleHandlers({ quorum, leaseManager, logger }));
  addMetadataStreamService(server, metadataStream.handlers());
  // Health: SERVING from the moment Raft runs until close() begins.
  let started = false;
  const standard = addStandardServices(server, {
    serving: () => started,
    services: CONTROLLER_SERVICE_NAMES,
  });

  let port: number;
  let metricsServer: MetricsServerHandle | null = null;
  try {
    port = await bindServer(server, options.listen, options.tls?.serverCredentials());
    if (options.metricsListen !== undefined) {
      metricsServer = await startMetricsServer({
        listen: options.metricsListen,
        registry: metrics.registry,
        ...(options.metricsTls === true && options.tls !== undefined ? { tls: options.tls } : {}),
        onError: (error) => logger.warn({ err: error }, 'metrics endpoint error'),
      });
    }
  } catch (error) {
    standard.close();
    leaseManager.close();
    leaderBalancer?.close();
    bootstrapUser?.close();
    metadataStream.close();
    server.forceShutdown();
    await storage.close();
    throw error;
  }
  driver.start();
  started = true;
  standard.refresh();
  logger.info(
    {
      listen: options.listen,
      port,
      voters: voters.map((v) => `${v.id}@${v.address}`).join(','),
      snapshotIndex: snapshot.meta.index,
      sessionTimeoutMs: leaseManager.leases.sessionTimeoutMs,
      suspectAfterMs: leaseManager.leases.suspectAfterMs,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? CONTROLLER_DEFAULTS.heartbeatIntervalMs,
      metricsPort: metricsServer?.port ?? null,
      tls: options.tls?.summary() ?? null,
      bootstrapScramUser: options.bootstrapUser?.user ?? null,
    },
    'controller ready',
  );

  let closing: Promise<void> | undefined;
  const close = async (): Promise<void> => {
    standard.shutdown();
    await transferLeadershipAway(driver, self, tickMs);
    leaseManager.close();
    leaderBalancer?.close();
    bootstrapUser?.close();
    metadataStream.close();
    await shutdownServer(server, 500);
    standard.close();
    await metricsServer?.close();
    await driver.stop();
    transport.close();
    await storage.close();
    logger.info('controller stopped');
  };
  return {
    nodeId: self,
    port,
    metricsPort: metricsServer?.port ?? null,
    logger,
    status: () => driver.status(),
    isActive: () => quorum.isActive(),
    committedImage: () => quorum.committed,
    close: () => {
      closing ??= close();
      return closing;
    },
    reload: () => {
      reloadTls(options.tls, logger);
    },
  };
}

/** On the leader: hand leadership to the most caught-up voter and wait (bounded) until it moved. */
async function transferLeadershipAway(driver: RaftDriver, self: NodeId, tickMs: number): Promise<void> {
  const status = driver.status();
  if (status.role !== 'leader' || status.progress === null) return;
  let target: NodeId | null = null;
  let best: LogIndex | -1 = -1;
  for (const [id, progress] of status.progress) {
    // Only voters can take over (learners' progress is listed too).
    if (id !== self && status.voters.includes(id) && progress.match > best) {
      best = progress.match;
      target = id;
    }
  }
  if (target === null) return;
  driver.transferLeadership(target);
  // The monotonic clock: a wall clock jump must neither cut the wait short nor stretch it.
  const deadline = performance.now() + LEADERSHIP_TRANSFER_WAIT_MS;
  while (performance.now() < deadline && driver.status().leaderId === self) {
    await new Promise((resolve) => setTimeout(resolve, Math.max(5, Math.floor(tickMs / 2))));
  }
}
