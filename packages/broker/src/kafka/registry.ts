/**
 * The handlers a listener serves, by API key, and what ApiVersions advertises from them. Security
 * (SaslHandshake/SaslAuthenticate, an authorizer) and transactions slot in as more handlers here and as
 * fields of KafkaRequestContext.
 */
import { assert, ERROR_CODES } from '@tributary/core';
import { type ApiDefinition, ApiVersions, encodeResponseFrame, inRange } from '@tributary/kafka-protocol';
import type { RegisteredHandler } from './handler.js';

export interface AdvertisedVersions {
  readonly apiKey: number;
  readonly minVersion: number;
  readonly maxVersion: number;
}

export class KafkaApiRegistry {
  readonly #handlers = new Map<number, RegisteredHandler>();
  /** What the codec decodes: only the advertised versions of served APIs. */
  readonly codecApis = new Map<number, ApiDefinition>();

  constructor(handlers: readonly RegisteredHandler[]) {
    for (const handler of handlers) {
      const { api, advertised } = handler;
      assert(!this.#handlers.has(api.key), () => `two handlers for API key ${api.key}`);
      assert(
        inRange(api.versions, advertised.min) && inRange(api.versions, advertised.max),
        () => `${api.name}: advertised v${advertised.min}-${advertised.max} is outside the codec's versions`,
      );
      this.#handlers.set(api.key, handler);
      // Decoding is limited to the advertised range: a client that ignores ApiVersions gets the
      // unsupported-version path, not a half-served request.
      this.codecApis.set(api.key, { ...api, versions: advertised });
    }
  }

  handler(apiKey: number): RegisteredHandler | undefined {
    return this.#handlers.get(apiKey);
  }

  advertisedVersions(): AdvertisedVersions[] {
    return [...this.#handlers.values()]
      .map((h) => ({ apiKey: h.api.key, minVersion: h.advertised.min, maxVersion: h.advertised.max }))
      .sort((a, b) => a.apiKey - b.apiKey);
  }

  /**
   * The answer to an ApiVersions request of a version this broker does not speak: a v0 response with
   * UNSUPPORTED_VERSION and the full key list, so the client can retry with a version both speak
   * (the protocol guide's rule for ApiVersions; librdkafka and KafkaJS rely on it).
   */
  apiVersionsFallback(correlationId: number): Buffer[] {
    return encodeResponseFrame(ApiVersions, 0, correlationId, {
      errorCode: ERROR_CODES.UNSUPPORTED_VERSION.kafka,
      apiKeys: this.advertisedVersions(),
      throttleTimeMs: 0,
    });
  }
}
