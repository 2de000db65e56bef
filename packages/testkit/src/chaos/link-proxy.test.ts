/**
 * The link proxy against a TCP echo server: it forwards, cuts per (source, destination) and per direction,
 * heals and delays. Sources are told apart by the kernel's socket table, so the "other process" case uses a
 * real child process. No timed assertions: each check is about what arrives, not when.
 */
import { spawn } from 'node:child_process';
import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ANY_SOURCE, CLIENT_SOURCE, LinkNetwork } from './link-proxy.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function echoServer(): Promise<string> {
  const server: Server = createServer((socket) => socket.pipe(socket));
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return `127.0.0.1:${address.port}`;
}

async function network(): Promise<{ links: LinkNetwork; proxy: string }> {
  const links = new LinkNetwork();
  cleanups.push(() => links.close());
  const proxy = await links.addProxy('echo', await echoServer());
  return { links, proxy };
}

function portOf(address: string): number {
  return Number(address.slice(address.lastIndexOf(':') + 1));
}

/** Sends `text` on a fresh connection and resolves with what came back, or "closed"/"error" (5 s bound). */
function roundTrip(address: string, text: string): Promise<string> {
  return new Promise((resolve) => {
    let received = '';
    const socket: Socket = tcpConnect({ host: '127.0.0.1', port: portOf(address) }, () => socket.write(text));
    const timer = setTimeout(() => finish(`timeout after "${received}"`), 5_000);
    const finish = (outcome: string) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      received += chunk;
      if (received.length >= text.length) finish(received);
    });
    socket.on('error', () => finish('error'));
    socket.on('close', () => finish('closed'));
  });
}

/** The same round trip from a child process (registered as `name`): its outcome printed on stdout. */
function roundTripFromChild(links: LinkNetwork, name: string, address: string): Promise<string> {
  const script = `
    const s = require('node:net').connect(${portOf(address)}, '127.0.0.1', () => s.write('ping'));
    const done = (what) => { process.stdout.write(what); process.exit(0); };
    s.setEncoding('utf8');
    s.on('data', (d) => done('got:' + d));
    s.on('error', () => done('error'));
    s.on('close', () => done('closed'));
    setTimeout(() => done('timeout'), 5000);`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  links.registerProcess(name, () => child.pid);
  return new Promise((resolve) => {
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
    });
    child.on('exit', () => resolve(output));
  });
}

describe('LinkNetwork', () => {
  it('forwards bytes both ways and names connections from this process "client"', async () => {
    const { links, proxy } = await network();
    expect(await roundTrip(proxy, 'hello')).toBe('hello');
    const source = await new Promise<string>((resolve, reject) => {
      const socket = tcpConnect({ host: '127.0.0.1', port: portOf(proxy) }, () => {
        links.identify(socket.localPort ?? 0, portOf(proxy)).then(resolve, reject);
      });
      cleanups.push(() => void socket.destroy());
    });
    expect(source).toBe(CLIENT_SOURCE);
  });

  it('a cut closes open connections and refuses new ones until healed', async () => {
    const { links, proxy } = await network();
    const open = new Promise<string>((resolve) => {
      const socket = tcpConnect({ host: '127.0.0.1', port: portOf(proxy) }, () => socket.write('a'));
      socket.once('data', () => {
        links.cut(CLIENT_SOURCE, 'echo');
        socket.on('close', () => resolve('closed'));
      });
    });
    expect(await open).toBe('closed');
    expect(['error', 'closed']).toContain(await roundTrip(proxy, 'refused'));
    links.uncut(CLIENT_SOURCE, 'echo');
    expect(await roundTrip(proxy, 'healed')).toBe('healed');
  });

  it('cuts only the named source: another process still gets through, and vice versa (one-way)', async () => {
    const { links, proxy } = await network();
    links.cut('broker 7', 'echo');
    expect(await roundTrip(proxy, 'client passes')).toBe('client passes');
    expect(await roundTripFromChild(links, 'broker 7', proxy)).not.toContain('got:');
    links.uncut('broker 7', 'echo');
    expect(await roundTripFromChild(links, 'broker 7', proxy)).toBe('got:ping');
    links.cut(CLIENT_SOURCE, 'echo');
    expect(await roundTripFromChild(links, 'broker 7', proxy)).toBe('got:ping');
    expect(await roundTrip(proxy, 'x')).not.toBe('x');
  }, 30_000);

  it('a cut from every source isolates the destination; overlapping cuts heal one at a time', async () => {
    const { links, proxy } = await network();
    links.cut(ANY_SOURCE, 'echo');
    links.cut(CLIENT_SOURCE, 'echo');
    expect(await roundTrip(proxy, 'x')).not.toBe('x');
    links.uncut(ANY_SOURCE, 'echo');
    expect(await roundTrip(proxy, 'x')).not.toBe('x');
    links.uncut(CLIENT_SOURCE, 'echo');
    expect(await roundTrip(proxy, 'x')).toBe('x');
  });

  it('a slow link still delivers everything, in order, and heals', async () => {
    const { links, proxy } = await network();
    links.slow(CLIENT_SOURCE, 'echo', 30);
    expect(links.ruleFor(CLIENT_SOURCE, 'echo').delayMs).toBe(30);
    const text = Array.from({ length: 200 }, (_, i) => `chunk-${i};`).join('');
    expect(await roundTrip(proxy, text)).toBe(text);
    links.unslow(CLIENT_SOURCE, 'echo', 30);
    expect(links.ruleFor(CLIENT_SOURCE, 'echo')).toEqual({ cut: false, delayMs: 0 });
    expect(await roundTrip(proxy, 'fast')).toBe('fast');
  });

  it('refuses a bad delay and an unknown destination', async () => {
    const { links } = await network();
    expect(() => links.slow(CLIENT_SOURCE, 'echo', -1)).toThrow(RangeError);
    expect(() => links.cut(CLIENT_SOURCE, 'nowhere')).toThrow(/no proxy for nowhere/);
  });
});
