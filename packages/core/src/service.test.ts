import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { runService, type ServiceProcess } from './service.js';

class FakeProcess extends EventEmitter implements ServiceProcess {
  readonly exits: number[] = [];
  exit(code: number): void {
    this.exits.push(code);
  }
}

function recordingLogger() {
  const lines: string[] = [];
  return {
    lines,
    info: (_fields: object, message: string) => lines.push(`info ${message}`),
    error: (_fields: object, message: string) => lines.push(`error ${message}`),
    fatal: (_fields: object, message: string) => lines.push(`fatal ${message}`),
  };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('runService', () => {
  it('closes cleanly on SIGTERM and exits 0', async () => {
    const proc = new FakeProcess();
    const logger = recordingLogger();
    let closed = 0;
    let started = 0;
    await runService({
      logger,
      process: proc,
      start: async () => ({ close: async () => void closed++ }),
      onStarted: () => void started++,
    });
    expect(started).toBe(1);
    proc.emit('SIGTERM');
    proc.emit('SIGINT'); // a second signal does not close twice
    await flush();
    expect(closed).toBe(1);
    expect(proc.exits).toEqual([0]);
  });

  it('reloads on SIGHUP and keeps running, also when the reload throws or there is nothing to reload', async () => {
    const proc = new FakeProcess();
    const logger = recordingLogger();
    let reloads = 0;
    await runService({
      logger,
      process: proc,
      start: async () => ({
        close: async () => {},
        reload: () => {
          reloads++;
          if (reloads === 2) throw new Error('bad files');
        },
      }),
    });
    proc.emit('SIGHUP');
    proc.emit('SIGHUP');
    expect(reloads).toBe(2);
    expect(logger.lines).toEqual([
      'info reloading',
      'info reloading',
      'error reload failed; running on as before',
    ]);
    expect(proc.exits).toEqual([]);

    const plain = new FakeProcess();
    const plainLogger = recordingLogger();
    await runService({ logger: plainLogger, process: plain, start: async () => ({ close: async () => {} }) });
    plain.emit('SIGHUP');
    expect(plainLogger.lines).toEqual(['info nothing to reload']);
    expect(plain.exits).toEqual([]);
  });

  it('closes once start-up ends when the signal came during start-up', async () => {
    const proc = new FakeProcess();
    let closed = 0;
    let started = 0;
    await runService({
      logger: recordingLogger(),
      process: proc,
      start: async () => {
        proc.emit('SIGINT');
        return { close: async () => void closed++ };
      },
      onStarted: () => void started++,
    });
    await flush();
    expect(started).toBe(0);
    expect(closed).toBe(1);
    expect(proc.exits).toEqual([0]);
  });

  it('treats a failed start, a failed close and an uncaught error as fatal (exit 1)', async () => {
    const failedStart = new FakeProcess();
    const logger = recordingLogger();
    await runService({
      logger,
      process: failedStart,
      start: async () => {
        throw new Error('port in use');
      },
    });
    expect(failedStart.exits).toEqual([1]);
    expect(logger.lines).toContain('fatal failed to start');

    const failedClose = new FakeProcess();
    await runService({
      logger,
      process: failedClose,
      start: async () => ({ close: async () => Promise.reject(new Error('fsync failed')) }),
    });
    failedClose.emit('SIGTERM');
    await flush();
    expect(failedClose.exits).toEqual([1]);

    const crashed = new FakeProcess();
    await runService({ logger, process: crashed, start: async () => ({ close: async () => {} }) });
    crashed.emit('uncaughtException', new Error('bug'));
    expect(crashed.exits).toEqual([1]);
  });
});
