/** Argument parsers for commander: each throws InvalidArgumentError with a one-line reason. */
import { InvalidArgumentError } from 'commander';

const HOST_PORT = /^(?:\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;

export function parseNonNegativeInt(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a non-negative integer.');
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed)) throw new InvalidArgumentError('the number is too large.');
  return parsed;
}

export function parsePositiveInt(value: string): number {
  const parsed = /^\d+$/.test(value) ? Number(value) : 0;
  if (!(parsed > 0)) throw new InvalidArgumentError('expected a positive integer.');
  if (!Number.isSafeInteger(parsed)) throw new InvalidArgumentError('the number is too large.');
  return parsed;
}

/** "host:port,host:port" -> addresses, each checked. */
export function parseAddressList(value: string): string[] {
  const addresses = value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  if (addresses.length === 0) throw new InvalidArgumentError('expected host:port[,host:port...].');
  for (const address of addresses) {
    const port = Number(HOST_PORT.exec(address)?.[1] ?? Number.NaN);
    if (!(port >= 1 && port <= 65_535)) {
      throw new InvalidArgumentError(`"${address}" is not host:port.`);
    }
  }
  return addresses;
}

/** Collects repeated `--config k=v` into [key, value] pairs. */
/** Collects a repeatable option's non-empty values. */
export function collectName(value: string, previous: readonly string[] = []): string[] {
  if (value.length === 0) throw new InvalidArgumentError('a name must not be empty.');
  return [...previous, value];
}

export function collectConfig(value: string, previous: readonly (readonly [string, string])[] = []) {
  const separator = value.indexOf('=');
  if (separator <= 0) throw new InvalidArgumentError(`"${value}" is not key=value.`);
  return [...previous, [value.slice(0, separator), value.slice(separator + 1)] as const];
}
