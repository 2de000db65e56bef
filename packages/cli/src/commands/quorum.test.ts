import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EXIT_FAILURE, EXIT_OK, runCli } from '../program.js';
import { captureIo, jsonDecoders } from '../testing/capture.js';
import { type FakeController, startFakeController } from '../testing/fake-controller.js';
import { formatQuorumTable, summarizeQuorum } from './quorum.js';

const voters = [
  { id: 1, address: 'c1:1', matchIndex: 20, lag: 0, lastContactMsAgo: 0 },
  { id: 2, address: 'c2:1', matchIndex: 18, lag: 2, lastContactMsAgo: 40 },
];
const quorum = {
  nodeId: 1,
  leaderId: 1,
  term: 3,
  commitIndex: 20,
  lastIndex: 20,
  role: 'leader',
  voters,
  observers: [],
  snapshotIndex: 0,
  appliedIndex: 20,
};

let controller: FakeController;

beforeAll(async () => {
  controller = await startFakeController(quorum);
});

afterAll(async () => {
  await controller.stop();
});

beforeEach(() => {
  controller.state.quorum = quorum;
  controller.state.requests.length = 0;
});

async function trib(argv: string[]) {
  const captured = captureIo();
  const code = await runCli(
    ['--controllers', controller.address, '--timeout-ms', '3000', ...argv],
    captured.io,
    jsonDecoders,
  );
  return { code, out: captured.out, err: captured.err };
}

describe('trib quorum add-voter / remove-voter', () => {
  it('adds a voter and prints the voters afterwards', async () => {
    const { code, out } = await trib(['quorum', 'add-voter', '--id', '4', '--address', '127.0.0.1:9404']);
    expect(code).toBe(EXIT_OK);
    expect(out).toEqual(['added voter 4; voters now 1,2,4']);
    expect(controller.state.requests).toEqual([
      { method: 'AddVoter', request: { voterId: 4, address: '127.0.0.1:9404' } },
    ]);
  });

  it('removes a voter, with --json', async () => {
    const { code, out } = await trib(['--json', 'quorum', 'remove-voter', '--id', '2']);
    expect(code).toBe(EXIT_OK);
    expect(out.map((line) => JSON.parse(line))).toEqual([
      { change: 'remove-voter', id: 2, voters: [{ id: 1, address: 'c1:1' }] },
    ]);
  });

  it('reports the controller’s refusal with its code', async () => {
    const { code, err } = await trib(['quorum', 'remove-voter', '--id', '9']);
    expect(code).toBe(EXIT_FAILURE);
    expect(err.join('\n')).toMatch(/VOTER_NOT_FOUND/);
    const duplicate = await trib(['quorum', 'add-voter', '--id', '1', '--address', 'h:1']);
    expect(duplicate.code).toBe(EXIT_FAILURE);
    expect(duplicate.err.join('\n')).toMatch(/DUPLICATE_VOTER/);
  });

  it('refuses a missing or malformed --id before calling anyone', async () => {
    const missing = await trib(['quorum', 'add-voter', '--address', 'h:1']);
    expect(missing.code).not.toBe(EXIT_OK);
    const malformed = await trib(['quorum', 'remove-voter', '--id', 'x']);
    expect(malformed.code).not.toBe(EXIT_OK);
    expect(controller.state.requests).toEqual([]);
  });
});

describe('trib quorum describe shows observers', () => {
  it('lists learners as observers, in JSON and in the table', async () => {
    const observer = { id: 4, address: 'c4:1', matchIndex: 12, lag: 8, lastContactMsAgo: 10 };
    controller.state.quorum = { ...quorum, observers: [observer] };
    const { code, out } = await trib(['--json', 'quorum', 'describe']);
    expect(code).toBe(EXIT_OK);
    const summary = JSON.parse(out[0] ?? '');
    expect(summary.observers).toEqual([
      { id: 4, address: 'c4:1', matchIndex: 12, lag: 8, lastContactMsAgo: 10, reachable: false },
    ]);
    const table = formatQuorumTable(summary);
    expect(table.find((line) => line.startsWith('4 '))).toMatch(/observer/);
    expect(summarizeQuorum([], 0)).toBeNull();
  });
});
