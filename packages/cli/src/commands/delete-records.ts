/**
 * `trib topics delete-records TOPIC --partition P --offset O` (kafka-delete-records.sh for one partition):
 * every record below O is deleted (-1: up to the high watermark) on the partition's leader, which answers
 * once its in-sync replicas have moved their log start too.
 */
import { isErrorCode, TributaryError, validateTopicName } from '@tributary/core';
import { type Command, InvalidArgumentError } from 'commander';
import { parseNonNegativeInt } from '../args.js';
import { type CommandContext, callOptions, withAdmin } from '../context.js';
import { jsonLine } from '../format.js';
import type { Runner } from '../program.js';

/** An offset, or -1 for the high watermark. */
export function parseDeleteOffset(value: string): number {
  if (value === '-1') return -1;
  try {
    return parseNonNegativeInt(value);
  } catch {
    throw new InvalidArgumentError(
      'expected an offset (a non-negative integer) or -1 for the high watermark.',
    );
  }
}

export function addDeleteRecordsCommand(topics: Command, run: Runner): void {
  topics
    .command('delete-records <name>')
    .description('delete the records of a partition below an offset (its log start moves there)')
    .requiredOption('--partition <p>', 'the partition', parseNonNegativeInt)
    .requiredOption('--offset <o>', 'the new log start offset; -1 = the high watermark', parseDeleteOffset)
    .action(
      run((context, command) => {
        const options = command.opts<{ partition: number; offset: number }>();
        return topicsDeleteRecords(context, String(command.args[0]), options);
      }),
    );
}

export async function topicsDeleteRecords(
  context: CommandContext,
  topic: string,
  options: { readonly partition: number; readonly offset: number },
): Promise<void> {
  validateTopicName(topic);
  const [result] = await withAdmin(context, context.options.bootstrap, (admin) =>
    admin.deleteRecords(
      [{ topic, partition: options.partition, offset: options.offset }],
      callOptions(context),
    ),
  );
  if (result === undefined) throw new TributaryError('UNKNOWN', 'the broker answered no partition');
  if (result.error !== null || result.lowWatermark === null) {
    const code = result.error?.code ?? 'UNKNOWN';
    const message = result.error?.message ?? 'no log start offset answered';
    throw new TributaryError(
      isErrorCode(code) ? code : 'UNKNOWN',
      `${topic}-${options.partition}: ${message}`,
    );
  }
  if (context.options.json) {
    context.io.out(jsonLine({ topic, partition: options.partition, lowWatermark: result.lowWatermark }));
  } else {
    context.io.out(`deleted the records of ${topic}-${options.partition} below ${result.lowWatermark}`);
  }
}
