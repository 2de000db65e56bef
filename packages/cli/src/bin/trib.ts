#!/usr/bin/env node
import { systemClock } from '@tributary/core';
import { decodeRecord, decodeSnapshotRecords } from '@tributary/metadata';
import { runCli } from '../program.js';

const interrupted = new AbortController();
// The first SIGINT stops --watch/--follow loops cleanly; a second one kills the process as usual.
process.once('SIGINT', () => interrupted.abort());

const exitCode = await runCli(
  process.argv.slice(2),
  {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    env: process.env,
    signal: interrupted.signal,
    clock: systemClock,
  },
  { decodeRecord, decodeSnapshotRecords },
);
process.exitCode = exitCode;
