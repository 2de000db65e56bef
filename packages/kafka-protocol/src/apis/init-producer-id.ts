/**
 * InitProducerId (key 22), versions 0–4; flexible from v2. Idempotent and transactional producers
 * (KIP-98) get their producer id and epoch here.
 *
 * Field history (Kafka's InitProducerIdRequest/Response.json): v1 only changes throttling, v2 is
 * flexible, v3 lets a producer resume with its current id and epoch after INVALID_PRODUCER_EPOCH
 * (KIP-360), v4 adds the PRODUCER_FENCED error code only.
 */
import { defineApi } from '../api.js';
import { field, nullable } from '../schema.js';
import { int16, int32, int64, string } from '../wire-type.js';

export const InitProducerId = defineApi({
  key: 22,
  name: 'InitProducerId',
  versions: '0-4',
  flexible: '2+',
  request: {
    // Null for an idempotent producer without transactions.
    transactionalId: nullable(string, '0+', '0+'),
    transactionTimeoutMs: field(int32, '0+'),
    producerId: field(int64, '3+', { default: -1 }),
    producerEpoch: field(int16, '3+', { default: -1 }),
  },
  response: {
    throttleTimeMs: field(int32, '0+'),
    errorCode: field(int16, '0+'),
    producerId: field(int64, '0+', { default: -1 }),
    producerEpoch: field(int16, '0+'),
  },
});
