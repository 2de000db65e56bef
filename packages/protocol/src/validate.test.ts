import { TributaryError } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { loadTributaryProtos, PROTO_FILES } from './protos.js';
import {
  optionalId,
  requireIntInRange,
  requireMessage,
  requireNonEmpty,
  requireSafeUint,
} from './validate.js';

describe('validation helpers', () => {
  it('accept valid values and return them', () => {
    expect(requireMessage({ a: 1 }, 'topic')).toEqual({ a: 1 });
    expect(requireNonEmpty('x', 'name')).toBe('x');
    expect(requireSafeUint(2 ** 53 - 1, 'offset')).toBe(2 ** 53 - 1);
    expect(requireIntInRange(3, 'partitions', { min: 1, max: 3 })).toBe(3);
    expect(optionalId(-1)).toBeNull();
    expect(optionalId(0)).toBe(0);
  });

  it.each([
    ['missing message', () => requireMessage(null, 'topic'), 'topic is required'],
    ['empty string', () => requireNonEmpty('', 'name'), 'name is required'],
    ['unsafe uint64', () => requireSafeUint(2 ** 53, 'offset'), 'offset must be'],
    ['negative', () => requireSafeUint(-1, 'offset'), 'offset must be'],
    ['out of range', () => requireIntInRange(0, 'partitions', { min: 1 }), 'partitions must be'],
  ])('reject %s with INVALID_REQUEST naming the field', (_, check, message) => {
    expect(check).toThrow(TributaryError);
    expect(check).toThrow(message);
  });
});

describe('proto loading', () => {
  it('finds every proto file and every service', () => {
    expect(PROTO_FILES).toEqual([
      'tributary/v1/auth.proto',
      'tributary/v1/broker.proto',
      'tributary/v1/common.proto',
      'tributary/v1/controller.proto',
      'tributary/v1/group.proto',
      'tributary/v1/raft.proto',
      'tributary/v1/replication.proto',
      'tributary/v1/transactions.proto',
    ]);
    const v1 = loadTributaryProtos();
    for (const service of [
      v1.Auth,
      v1.ControllerAdmin,
      v1.BrokerLifecycle,
      v1.MetadataStream,
      v1.Raft,
      v1.Broker,
      v1.Replication,
      v1.GroupCoordinator,
      v1.TransactionCoordinator,
      v1.TransactionMarkers,
    ]) {
      expect(Object.keys(service.service).length).toBeGreaterThan(0);
    }
  });
});
