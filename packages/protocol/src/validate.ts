/**
 * Request validation for handlers: proto3 has no required fields and uint64 arrives as a JS number,
 * so handlers check presence and ranges here and answer INVALID_REQUEST naming the field.
 */
import { TributaryError } from '@tributary/core';

const UINT32_MAX = 0xffff_ffff;

function invalid(field: string, problem: string): TributaryError {
  return new TributaryError('INVALID_REQUEST', `${field} ${problem}`);
}

/** A message field (null when absent with `defaults: true`) that must be present. */
export function requireMessage<T>(value: T | null | undefined, field: string): T {
  if (value === null || value === undefined) throw invalid(field, 'is required');
  return value;
}

/** A string field that must not be empty (proto3 cannot tell empty from absent). */
export function requireNonEmpty(value: string, field: string): string {
  if (value.length === 0) throw invalid(field, 'is required');
  return value;
}

/**
 * A uint64 decoded as a number: must be a safe integer, since precision is lost above 2^53 (the
 * loader's `longs: Number`). Returns the value for chaining.
 */
export function requireSafeUint(value: number, field: string): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw invalid(field, `must be a non-negative integer below 2^53, got ${value}`);
  }
  return value;
}

/** An integer in [min, max] (defaults: a uint32). */
export function requireIntInRange(
  value: number,
  field: string,
  range: { min?: number; max?: number } = {},
): number {
  const min = range.min ?? 0;
  const max = range.max ?? UINT32_MAX;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw invalid(field, `must be an integer in [${min}, ${max}], got ${value}`);
  }
  return value;
}

/** A bound on a repeated field ("put a limit on everything"). */
export function requireCountAtMost(items: readonly unknown[], field: string, max: number): void {
  if (items.length > max) throw invalid(field, `has ${items.length} entries; the limit is ${max}`);
}

/** int32 fields that use -1 for "none" (leader, controller id) as number | null. */
export function optionalId(value: number): number | null {
  return value < 0 ? null : value;
}
