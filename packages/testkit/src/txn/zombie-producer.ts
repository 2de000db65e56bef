/**
 * The zombie of transactions.test.ts (issue 14): a transactional producer in its own process, so that the
 * test can SIGSTOP it with a transaction open, fence it from another instance, and SIGCONT it. Run from dist:
 *
 *   node dist/txn/zombie-producer.js --bootstrap H:P,... --topic T --transactional-id X --prefix P
 *
 * It opens a transaction, writes `<P>-early-<i>` to every partition, prints `{"event":"sent"}` and waits for
 * SIGUSR1 (sent by the test after SIGCONT). Then it tries to go on as if nothing happened: writes
 * `<P>-late-<i>` and commits, printing each step's outcome (`{"event":"step","step":"send"|"commit",
 * "ok":bool,"code":...}`), and exits 0. Fenced, both steps must fail and nothing it wrote may commit.
 */
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { type ProducerRecord, type Transaction, TributaryClient } from '@tributary/client';
import { TributaryError } from '@tributary/core';
import { TXN_E2E_LIMITS } from './limits.js';

/** Records per phase, spread over the partitions the test names. */
const RECORDS_PER_PHASE = 30;

interface ZombieArgs {
  readonly bootstrap: string[];
  readonly topic: string;
  readonly transactionalId: string;
  readonly prefix: string;
  readonly partitions: number;
}

function parse(): ZombieArgs {
  const { values } = parseArgs({
    options: {
      bootstrap: { type: 'string' },
      topic: { type: 'string' },
      'transactional-id': { type: 'string' },
      prefix: { type: 'string' },
      partitions: { type: 'string' },
    },
  });
  const { bootstrap, topic, prefix } = values;
  const transactionalId = values['transactional-id'];
  const partitions = Number(values.partitions ?? '1');
  if (
    bootstrap === undefined ||
    topic === undefined ||
    prefix === undefined ||
    transactionalId === undefined
  ) {
    throw new Error('--bootstrap, --topic, --transactional-id and --prefix are required');
  }
  if (!Number.isSafeInteger(partitions) || partitions < 1) throw new Error('--partitions must be >= 1');
  return { bootstrap: bootstrap.split(','), topic, transactionalId, prefix, partitions };
}

function emit(event: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

function records(args: ZombieArgs, phase: string): ProducerRecord[] {
  return Array.from({ length: RECORDS_PER_PHASE }, (_, index) => ({
    value: `${args.prefix}-${phase}-${index}`,
    partition: index % args.partitions,
  }));
}

/** Runs one step and prints its outcome; a fenced producer's steps are expected to fail. */
async function step(name: string, run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
    emit({ event: 'step', step: name, ok: true });
  } catch (error) {
    const code = error instanceof TributaryError ? error.code : '';
    emit({
      event: 'step',
      step: name,
      ok: false,
      code,
      message: error instanceof Error ? error.message : '',
    });
  }
}

async function waitForResume(): Promise<void> {
  const timer = setTimeout(() => {
    emit({ event: 'failed', message: 'no SIGUSR1 in time' });
    process.exit(2);
  }, TXN_E2E_LIMITS.zombieResumeTimeoutMs);
  await once(process, 'SIGUSR1');
  clearTimeout(timer);
}

async function main(): Promise<void> {
  const args = parse();
  // Handled before anything is printed, so that the test's SIGUSR1 can never kill the process.
  const resumed = waitForResume();
  const client = new TributaryClient({ bootstrap: args.bootstrap, clientId: 'zombie-producer' });
  const producer = client.producer({
    transactionalId: args.transactionalId,
    deliveryTimeoutMs: TXN_E2E_LIMITS.operationTimeoutMs,
  });
  await producer.initTransactions();
  const txn: Transaction = await producer.transaction();
  await txn.send(args.topic, records(args, 'early'));
  emit({ event: 'sent' });
  await resumed;
  await step('send', () => txn.send(args.topic, records(args, 'late')));
  await step('commit', () => txn.commit());
  client.close();
  emit({ event: 'done' });
}

main().catch((error: unknown) => {
  const code = error instanceof TributaryError ? error.code : '';
  emit({ event: 'failed', code, message: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
