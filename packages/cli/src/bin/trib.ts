#!/usr/bin/env node
import { systemClock } from '@tributary/core';
import { decodeRecord, decodeSnapshotRecords } from '@tributary/metadata';
import { runCli } from '../program.js';

const interrupted = new AbortController();
// The first SIGINT stops --watch/--follow loops cleanly; a second one kills the process as usual.
process.once('SIGINT', () => interrupted.abort());

// `trib ... | head`: when the reader goes away, writes fail with EPIPE. Stop as on Ctrl-C (a group consumer
// commits and leaves) and drop further output, instead of dying on an unhandled 'error' event.
let stdoutClosed = false;
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  stdoutClosed = true;
  interrupted.abort();
  if (error.code !== 'EPIPE') {
    process.stderr.write(`error: standard output failed: ${error.message}\n`);
    process.exitCode = 1;
  }
});

const exitCode = await runCli(
  process.argv.slice(2),
  {
    out: (line) => {
      if (!stdoutClosed) process.stdout.write(`${line}\n`);
    },
    err: (line) => process.stderr.write(`${line}\n`),
    env: process.env,
    signal: interrupted.signal,
    clock: systemClock,
  },
  { decodeRecord, decodeSnapshotRecords },
);
process.exitCode = process.exitCode === 1 ? 1 : exitCode;
