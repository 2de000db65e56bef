/**
 * FindCoordinator (key 10): which broker coordinates a group (key type 0) or a transactional id
 * (key type 1). Flexible from v3; v4 (KIP-699) batches keys: the request's single Key becomes
 * CoordinatorKeys and the response's top-level result becomes one Coordinators entry per key.
 */
import { defineApi } from '../api.js';
import { field, nullable, struct } from '../schema.js';
import { array, int8, int16, int32, string } from '../wire-type.js';

/** One key's answer in v4+ (KIP-699). */
const coordinator = struct({
  key: field(string, '4+'),
  nodeId: field(int32, '4+'),
  host: field(string, '4+'),
  port: field(int32, '4+'),
  errorCode: field(int16, '4+'),
  errorMessage: nullable(string, '4+', '4+'),
});

export const FindCoordinator = defineApi({
  key: 10,
  name: 'FindCoordinator',
  versions: '0-4',
  flexible: '3+',
  request: {
    key: field(string, '0-3'),
    keyType: field(int8, '1+', { default: 0 }),
    coordinatorKeys: field(array(string), '4+'),
  },
  response: {
    throttleTimeMs: field(int32, '1+'),
    errorCode: field(int16, '0-3'),
    errorMessage: nullable(string, '1-3', '1-3'),
    nodeId: field(int32, '0-3'),
    host: field(string, '0-3'),
    port: field(int32, '0-3'),
    coordinators: field(array(coordinator), '4+'),
  },
});
