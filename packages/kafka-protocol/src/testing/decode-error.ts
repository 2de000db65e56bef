/**
 * The code of the KafkaProtocolError a decode throws, for decode-strictness tests; fails the test when
 * the decode succeeds or throws anything else. Not part of the build (tsconfig excludes src/testing).
 */
import { KafkaProtocolError, type KafkaProtocolErrorCode } from '../errors.js';

export function decodeErrorCode(decode: () => unknown): KafkaProtocolErrorCode {
  try {
    decode();
  } catch (error) {
    if (error instanceof KafkaProtocolError) return error.code;
    throw error;
  }
  throw new Error('decoded without an error');
}
