/**
 * SaslHandshake 0–1 and SaslAuthenticate 0–2 (KIP-152): both hand the request to the connection's SASL
 * exchange (security/sasl-session.ts), which owns the state, the mechanisms and every error. SaslHandshake
 * v0 must be advertised: librdkafka turns SASL off unless the range includes it (its "SaslHandshake" feature
 * is v0–0). Its old meaning, raw SASL tokens after the handshake, is not served: a client that sends raw
 * tokens is disconnected (they do not decode as a request); every client here uses SaslAuthenticate.
 */
import { ERROR_CODES } from '@tributary/core';
import { parseVersions, SaslAuthenticate, SaslHandshake } from '@tributary/kafka-protocol';
import { type RegisteredHandler, registerHandler } from '../handler.js';

/** KIP-368's "no re-authentication required": sessions do not expire. */
const SESSION_LIFETIME_NONE_MS = 0;

export function saslHandshakeHandler(): RegisteredHandler {
  return registerHandler({
    api: SaslHandshake,
    advertised: parseVersions('0-1'),
    handle: (request, context) => {
      if (context.sasl === undefined)
        return { errorCode: ERROR_CODES.ILLEGAL_SASL_STATE.kafka, mechanisms: [] };
      return context.sasl.handshake(request.mechanism);
    },
  });
}

export function saslAuthenticateHandler(): RegisteredHandler {
  return registerHandler({
    api: SaslAuthenticate,
    advertised: parseVersions('0-2'),
    handle: async (request, context) => {
      if (context.sasl === undefined) {
        return {
          errorCode: ERROR_CODES.ILLEGAL_SASL_STATE.kafka,
          errorMessage: 'SASL is not served here',
          authBytes: new Uint8Array(0),
          sessionLifetimeMs: SESSION_LIFETIME_NONE_MS,
        };
      }
      const answer = await context.sasl.authenticate(request.authBytes);
      return { ...answer, sessionLifetimeMs: SESSION_LIFETIME_NONE_MS };
    },
  });
}
