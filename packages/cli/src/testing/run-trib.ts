/** `trib` run in-process with captured output and no standard input: the exit code and the lines. */
import { runCli } from '../program.js';
import { captureIo, jsonDecoders } from './capture.js';

async function* noInput(): AsyncGenerator<Buffer> {}

export interface TribRun {
  readonly code: number;
  readonly out: string[];
  readonly err: string[];
}

export async function runTrib(argv: string[], env: Record<string, string> = {}): Promise<TribRun> {
  const captured = captureIo(env);
  const code = await runCli(argv, captured.io, jsonDecoders, { stdin: noInput(), stderrIsTty: false });
  return { code, out: captured.out, err: captured.err };
}
