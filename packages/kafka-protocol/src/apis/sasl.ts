/**
 * SASL on the Kafka listener (KIP-43, KIP-152): SaslHandshake (17) names the mechanism, SaslAuthenticate
 * (36) carries the mechanism's messages inside Kafka frames. SaslHandshake v0 let the client send raw,
 * unframed SASL tokens next; v1 always uses SaslAuthenticate (the only mode a broker needs to serve, and
 * the one Kafka 4 keeps). SaslAuthenticate v1 adds the session lifetime (KIP-368), v2 is flexible.
 */
import { defineApi } from '../api.js';
import { field, nullable } from '../schema.js';
import { array, bytes, int16, int64, string } from '../wire-type.js';

export const SaslHandshake = defineApi({
  key: 17,
  name: 'SaslHandshake',
  versions: '0-1',
  flexible: 'none',
  request: {
    mechanism: field(string, '0+'),
  },
  response: {
    errorCode: field(int16, '0+'),
    // The mechanisms the broker enables (answered whatever the error).
    mechanisms: field(array(string), '0+'),
  },
});

export const SaslAuthenticate = defineApi({
  key: 36,
  name: 'SaslAuthenticate',
  versions: '0-2',
  flexible: '2+',
  request: {
    authBytes: field(bytes, '0+'),
  },
  response: {
    errorCode: field(int16, '0+'),
    errorMessage: nullable(string, '0+', '0+'),
    authBytes: field(bytes, '0+'),
    // KIP-368: 0 = the session does not expire (no re-authentication required).
    sessionLifetimeMs: field(int64, '1+', { default: 0 }),
  },
});
