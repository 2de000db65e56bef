/** ApiVersions: the advertised range of every API this listener serves (KafkaApiRegistry). */
import { ApiVersions, parseVersions } from '@tributary/kafka-protocol';
import { type KafkaHandler, type RegisteredHandler, registerHandler } from '../handler.js';
import type { AdvertisedVersions } from '../registry.js';

/** `advertised` is read per request, so the list always matches the registry it is part of. */
export function apiVersionsHandler(advertised: () => readonly AdvertisedVersions[]): RegisteredHandler {
  const handler: KafkaHandler<typeof ApiVersions> = {
    api: ApiVersions,
    advertised: parseVersions('0-3'),
    handle: () => ({ errorCode: 0, apiKeys: [...advertised()], throttleTimeMs: 0 }),
  };
  return registerHandler(handler);
}
