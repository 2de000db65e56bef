/**
 * The bench tools' flag value checks, shared by their option parsers (each parser keeps its own flag
 * table; only the value rules live here, so that every tool refuses the same bad input the same way).
 */

/** An integer in [min, max]; throws naming the flag. */
export function integerFlag(flag: string, text: string | undefined, min: number, max: number): number {
  const value = Number(text);
  if (text === undefined || text.trim() === '' || !Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${flag} needs an integer in [${min}, ${max}], got ${text ?? 'nothing'}`);
  }
  return value;
}

/** A directory path (not empty, not the next flag); throws naming the flag. */
export function directoryFlag(flag: string, text: string | undefined): string {
  if (text === undefined || text.trim() === '' || text.startsWith('--')) {
    throw new Error(`${flag} needs a directory`);
  }
  return text;
}
