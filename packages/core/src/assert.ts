/**
 * Assertions that stay on in production (TigerBeetle style): a failed assertion is a bug in Tributary,
 * never an operational error, so it throws an AssertionError that the process treats as fatal.
 * Operational failures (bad input, a peer that is down) are TributaryErrors with codes instead.
 */
export class AssertionError extends Error {
  override readonly name = 'AssertionError';
}

export function assert(condition: unknown, message: string | (() => string)): asserts condition {
  if (!condition) {
    throw new AssertionError(typeof message === 'function' ? message() : message);
  }
}

/** For exhaustive switches over unions: the compiler proves this is unreachable. */
export function assertNever(value: never, what: string): never {
  throw new AssertionError(`unexpected ${what}: ${JSON.stringify(value)}`);
}
