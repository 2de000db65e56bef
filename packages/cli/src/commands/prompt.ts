/**
 * Questions on a terminal: a yes/no confirmation (`trib acls delete`) and a password read without echo
 * (`trib users create`), and the first line of piped stdin. Reading stops at the first line and at a
 * bound, so a huge or endless stdin is never buffered whole.
 */
import { ConfigError } from '@tributary/core/config';
import type { CliIo } from '../io.js';
import type { CliInput } from '../program.js';
import { readLines } from './produce-commands.js';

/** A password or answer longer than this is not one (security's passwordLengthMax is 1024). */
export const PROMPT_LINE_LENGTH_MAX = 4_096;

/** The first line of stdin (without its line end), or undefined when stdin is empty. */
export async function firstLine(input: CliInput): Promise<string | undefined> {
  for await (const line of readLines(input.stdin)) {
    if (line.length > PROMPT_LINE_LENGTH_MAX) {
      throw new ConfigError(`the line read from stdin is longer than ${PROMPT_LINE_LENGTH_MAX} characters`);
    }
    return line;
  }
  return undefined;
}

/** Asks `question` on stderr and reads the answer from stdin: true for y or yes (any case). */
export async function confirm(input: CliInput, io: CliIo, question: string): Promise<boolean> {
  io.err(question);
  const answer = (await firstLine(input)) ?? '';
  return /^(y|yes)$/i.test(answer.trim());
}
