/**
 * Branded ids: numbers that must not be mixed up (a broker id passed as a leader epoch is a bug the
 * compiler should catch). Brand with the helper functions, which check the value's range.
 */
declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

export type NodeId = Brand<number, 'NodeId'>;
export type BrokerId = Brand<number, 'BrokerId'>;
export type Term = Brand<number, 'Term'>;
export type LogIndex = Brand<number, 'LogIndex'>;
export type LeaderEpoch = Brand<number, 'LeaderEpoch'>;
export type PartitionEpoch = Brand<number, 'PartitionEpoch'>;
export type BrokerEpoch = Brand<number, 'BrokerEpoch'>;

function nonNegativeInteger(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${what} must be a non-negative integer, got ${value}`);
  }
}

export function nodeId(value: number): NodeId {
  nonNegativeInteger(value, 'node id');
  return value as NodeId;
}
export function brokerId(value: number): BrokerId {
  nonNegativeInteger(value, 'broker id');
  return value as BrokerId;
}
export function term(value: number): Term {
  nonNegativeInteger(value, 'term');
  return value as Term;
}
export function logIndex(value: number): LogIndex {
  nonNegativeInteger(value, 'log index');
  return value as LogIndex;
}
export function leaderEpoch(value: number): LeaderEpoch {
  nonNegativeInteger(value, 'leader epoch');
  return value as LeaderEpoch;
}
export function partitionEpoch(value: number): PartitionEpoch {
  nonNegativeInteger(value, 'partition epoch');
  return value as PartitionEpoch;
}
export function brokerEpoch(value: number): BrokerEpoch {
  nonNegativeInteger(value, 'broker epoch');
  return value as BrokerEpoch;
}
