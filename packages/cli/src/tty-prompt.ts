/**
 * Reads one line from the process's terminal without echoing it (a password for `trib users create`).
 * The process shell only: raw mode on process.stdin, the prompt on stderr. Ctrl-C and Ctrl-D give up
 * (raw mode turns Ctrl-C into a character rather than SIGINT).
 */
import { ConfigError } from '@tributary/core/config';

/** Longer input is refused rather than buffered. */
const HIDDEN_LINE_LENGTH_MAX = 4_096;

export function readHiddenLineFromTty(prompt: string): Promise<string> {
  const { stdin, stderr } = process;
  return new Promise((resolve, reject) => {
    let line = '';
    const finish = (error?: Error): void => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      stderr.write('\n');
      if (error === undefined) resolve(line);
      else reject(error);
    };
    const onData = (chunk: string): void => {
      for (const character of chunk) {
        if (character === '\r' || character === '\n') {
          finish();
          return;
        }
        if (character === '\u0003' || character === '\u0004') {
          finish(new ConfigError('no password given'));
          return;
        }
        if (character === '\u007f' || character === '\b') line = line.slice(0, -1);
        else line += character;
        if (line.length > HIDDEN_LINE_LENGTH_MAX) {
          finish(new ConfigError(`a password is at most ${HIDDEN_LINE_LENGTH_MAX} characters`));
          return;
        }
      }
    };
    stderr.write(prompt);
    stdin.setEncoding('utf8');
    stdin.setRawMode(true);
    stdin.on('data', onData);
    stdin.resume();
  });
}
