/**
 * In-process TCP proxies on 127.0.0.1 through which a cluster's processes reach each other, so the nemesis can
 * cut, heal and slow links.
 *
 * Granularity: one proxy per DESTINATION process (every controller and every broker), used by every source —
 * controllers find each other through `--voters`, brokers find controllers through `--controllers` and each
 * other (and clients find brokers) through the advertised address, all of which name the proxy. A link is still
 * per (source, destination) pair: when a proxy accepts a connection it asks the kernel which process opened it
 * (the peer port's socket inode in /proc/net/tcp, then which registered pid holds that inode in /proc/PID/fd).
 * Connections from the test process itself count as the source "client". So `cut('broker 1', 'broker 3')`
 * affects only the connections broker 1 opens to broker 3: that is a one-way partition in the sense of "who can
 * reach whom" (gRPC requests and their responses travel on the connection its client opened); a two-way
 * partition cuts both pairs. A source that cannot be identified (no /proc, or the process already exited) is
 * "unknown" and is only affected by rules whose source is ANY_SOURCE.
 *
 * Raft's Step RPCs carry messages in one direction (the answer is a Step call back on the other node's own
 * connection), so a one-way controller cut really drops messages one way only.
 */
import { readdir, readFile, readlink } from 'node:fs/promises';
import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

/** Matches every source in a rule. */
export const ANY_SOURCE = '*';
/** The source name of connections opened by this (the test) process. */
export const CLIENT_SOURCE = 'client';
export const UNKNOWN_SOURCE = 'unknown';

export const LINK_PROXY_LIMITS = {
  /** Bytes held in a delayed direction before the sender is paused (backpressure). */
  delayedBytesMax: 8 * 1024 * 1024,
  /** Largest latency the nemesis may add to a link. */
  delayMsMax: 10_000,
  /** Connections per proxy; more are refused (a bound, not a tuning knob). */
  connectionsMax: 1_024,
  /** Pids scanned when identifying a source; the cluster has at most ten processes. */
  processesMax: 64,
} as const;

/** Faults on one (source, destination) pair; counted, because overlapping faults may share a link. */
interface LinkRule {
  cuts: number;
  delaysMs: number[];
}

export interface LinkState {
  readonly cut: boolean;
  readonly delayMs: number;
}

interface ProxiedConnection {
  readonly source: string;
  readonly inbound: Socket;
  readonly outbound: Socket;
}

/** Which registered process owns a socket: name by pid, asked at lookup time (pids change on restart). */
export type ProcessDirectory = () => Iterable<readonly [pid: number, name: string]>;

/**
 * Every proxy of one cluster and the rules that apply to them. Rules are keyed by (source, destination);
 * `ANY_SOURCE` as the source matches every source.
 */
export class LinkNetwork {
  private readonly proxies = new Map<string, LinkProxy>();
  private readonly rules = new Map<string, LinkRule>();
  private readonly processes = new Map<string, () => number | undefined>();
  private closed = false;

  /** Registers a process so its connections can be told apart (name e.g. "broker 2"). */
  registerProcess(name: string, pid: () => number | undefined): void {
    this.processes.set(name, pid);
  }

  /** Starts a proxy in front of `target` (host:port) named by its destination; returns its address. */
  async addProxy(destination: string, target: string): Promise<string> {
    if (this.closed) throw new Error('the link network is closed');
    if (this.proxies.has(destination)) throw new Error(`a proxy for ${destination} exists already`);
    const proxy = new LinkProxy(destination, target, this);
    this.proxies.set(destination, proxy);
    return proxy.listen();
  }

  proxyAddress(destination: string): string {
    const proxy = this.proxies.get(destination);
    if (proxy === undefined) throw new RangeError(`no proxy for ${destination}`);
    return proxy.address;
  }

  get destinations(): string[] {
    return [...this.proxies.keys()];
  }

  /**
   * Connections from `source` to `destination` are closed now and refused until `uncut` (as many times as
   * `cut`, so two overlapping faults on one link heal independently).
   */
  cut(source: string, destination: string): void {
    this.update(source, destination, (rule) => {
      rule.cuts += 1;
    });
    this.proxyFor(destination).dropMatching(source);
  }

  uncut(source: string, destination: string): void {
    this.update(source, destination, (rule) => {
      rule.cuts = Math.max(0, rule.cuts - 1);
    });
  }

  /** Adds `delayMs` of latency to every chunk on connections from `source` to `destination` (both ways). */
  slow(source: string, destination: string, delayMs: number): void {
    if (!Number.isInteger(delayMs) || delayMs < 0 || delayMs > LINK_PROXY_LIMITS.delayMsMax) {
      throw new RangeError(`delayMs must be 0..${LINK_PROXY_LIMITS.delayMsMax}, got ${delayMs}`);
    }
    this.update(source, destination, (rule) => {
      rule.delaysMs.push(delayMs);
    });
  }

  /** Removes one `slow(source, destination, delayMs)`. */
  unslow(source: string, destination: string, delayMs: number): void {
    this.update(source, destination, (rule) => {
      const index = rule.delaysMs.indexOf(delayMs);
      if (index >= 0) rule.delaysMs.splice(index, 1);
    });
  }

  /** Removes every fault on every link. */
  healAll(): void {
    this.rules.clear();
  }

  /** What applies to a connection from `source` to `destination`: its own faults and those of ANY source. */
  ruleFor(source: string, destination: string): LinkState {
    const own = this.rules.get(ruleKey(source, destination));
    const any = this.rules.get(ruleKey(ANY_SOURCE, destination));
    return {
      cut: (own?.cuts ?? 0) > 0 || (any?.cuts ?? 0) > 0,
      delayMs: Math.max(0, ...(own?.delaysMs ?? []), ...(any?.delaysMs ?? [])),
    };
  }

  /** Names the process that opened the connection whose peer port is `peerPort` to `proxyPort`. */
  async identify(peerPort: number, proxyPort: number): Promise<string> {
    const inode = await socketInode(peerPort, proxyPort);
    if (inode === undefined) return UNKNOWN_SOURCE;
    const candidates: (readonly [number, string])[] = [[process.pid, CLIENT_SOURCE]];
    for (const [name, pid] of this.processes) {
      const value = pid();
      if (value !== undefined) candidates.push([value, name]);
    }
    for (const [pid, name] of candidates.slice(0, LINK_PROXY_LIMITS.processesMax)) {
      if (await holdsSocket(pid, inode)) return name;
    }
    return UNKNOWN_SOURCE;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.rules.clear();
    await Promise.all([...this.proxies.values()].map((proxy) => proxy.close()));
    this.proxies.clear();
  }

  private proxyFor(destination: string): LinkProxy {
    const proxy = this.proxies.get(destination);
    if (proxy === undefined) throw new RangeError(`no proxy for ${destination}`);
    return proxy;
  }

  private update(source: string, destination: string, change: (rule: LinkRule) => void): void {
    this.proxyFor(destination);
    const key = ruleKey(source, destination);
    const rule = this.rules.get(key) ?? { cuts: 0, delaysMs: [] };
    change(rule);
    if (rule.cuts === 0 && rule.delaysMs.length === 0) this.rules.delete(key);
    else this.rules.set(key, rule);
  }
}

function ruleKey(source: string, destination: string): string {
  return `${source} -> ${destination}`;
}

/** One listening proxy in front of one destination process. */
class LinkProxy {
  private readonly server: Server;
  private readonly connections = new Set<ProxiedConnection>();
  private port = 0;

  constructor(
    readonly destination: string,
    private readonly target: string,
    private readonly network: LinkNetwork,
  ) {
    this.server = createServer({ pauseOnConnect: true }, (socket) => {
      this.accept(socket).catch(() => socket.destroy());
    });
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  listen(): Promise<string> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen({ host: '127.0.0.1', port: 0 }, () => {
        const address = this.server.address();
        if (address === null || typeof address === 'string') {
          reject(new Error('proxy socket has no port'));
          return;
        }
        this.port = address.port;
        resolve(this.address);
      });
    });
  }

  dropMatching(source: string): void {
    for (const connection of this.connections) {
      if (source === ANY_SOURCE || connection.source === source) {
        connection.inbound.destroy();
        connection.outbound.destroy();
      }
    }
  }

  async close(): Promise<void> {
    this.dropMatching(ANY_SOURCE);
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async accept(inbound: Socket): Promise<void> {
    const source = await this.network.identify(inbound.remotePort ?? 0, this.port);
    // A cut link refuses the connection (the caller sees a reset, like a dropped route).
    if (
      this.network.ruleFor(source, this.destination).cut ||
      this.connections.size >= LINK_PROXY_LIMITS.connectionsMax
    ) {
      inbound.resetAndDestroy();
      return;
    }
    const [host, portText] = splitHostPort(this.target);
    const outbound = tcpConnect({ host, port: Number(portText) });
    const connection: ProxiedConnection = { source, inbound, outbound };
    this.connections.add(connection);
    const finish = () => {
      this.connections.delete(connection);
      inbound.destroy();
      outbound.destroy();
    };
    for (const socket of [inbound, outbound]) {
      socket.on('error', finish);
      socket.on('close', finish);
    }
    inbound.setNoDelay(true);
    outbound.setNoDelay(true);
    this.pipe(connection, inbound, outbound);
    this.pipe(connection, outbound, inbound);
    inbound.resume();
  }

  /**
   * Copies bytes from one side to the other, checking the link's rule for each chunk: a cut drops the
   * connection; a delay holds the chunk back (order kept by a per-direction chain, bounded in bytes).
   */
  private pipe(connection: ProxiedConnection, from: Socket, to: Socket): void {
    let chain: Promise<void> = Promise.resolve();
    let heldBytes = 0;
    from.on('data', (chunk: Buffer) => {
      const rule = this.network.ruleFor(connection.source, this.destination);
      if (rule.cut) {
        from.destroy();
        to.destroy();
        return;
      }
      if (rule.delayMs === 0 && heldBytes === 0) {
        if (!to.write(chunk)) from.pause();
        return;
      }
      heldBytes += chunk.length;
      if (heldBytes > LINK_PROXY_LIMITS.delayedBytesMax) from.pause();
      chain = chain.then(async () => {
        await delay(rule.delayMs);
        heldBytes -= chunk.length;
        if (!to.destroyed) to.write(chunk);
        if (heldBytes <= LINK_PROXY_LIMITS.delayedBytesMax && !from.destroyed) from.resume();
      });
    });
    to.on('drain', () => {
      if (heldBytes <= LINK_PROXY_LIMITS.delayedBytesMax) from.resume();
    });
    from.on('end', () => {
      chain = chain.then(() => {
        to.end();
      });
    });
  }
}

function splitHostPort(address: string): [string, string] {
  const colon = address.lastIndexOf(':');
  if (colon <= 0) throw new RangeError(`not host:port: ${address}`);
  return [address.slice(0, colon), address.slice(colon + 1)];
}

/**
 * The inode of the socket whose local port is `localPort` and remote port `remotePort`, from the kernel's
 * table of TCP sockets (IPv4, then IPv6 for v4-mapped sockets). Undefined when not found.
 */
async function socketInode(localPort: number, remotePort: number): Promise<string | undefined> {
  const local = localPort.toString(16).toUpperCase().padStart(4, '0');
  const remote = remotePort.toString(16).toUpperCase().padStart(4, '0');
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = await readFile(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const localAddress = fields[1];
      const remoteAddress = fields[2];
      const inode = fields[9];
      if (localAddress === undefined || remoteAddress === undefined || inode === undefined) continue;
      if (localAddress.endsWith(`:${local}`) && remoteAddress.endsWith(`:${remote}`) && inode !== '0') {
        return inode;
      }
    }
  }
  return undefined;
}

async function holdsSocket(pid: number, inode: string): Promise<boolean> {
  const want = `socket:[${inode}]`;
  let fds: string[];
  try {
    fds = await readdir(`/proc/${pid}/fd`);
  } catch {
    return false;
  }
  for (const fd of fds) {
    try {
      if ((await readlink(`/proc/${pid}/fd/${fd}`)) === want) return true;
    } catch {
      // The descriptor was closed while we looked.
    }
  }
  return false;
}
