/** Every API this codec implements, and the registry the listener dispatches on. */
import type { ApiDefinition } from '../api.js';
import { ApiVersions } from './api-versions.js';

export { ApiVersions } from './api-versions.js';

/** The implemented APIs by key. */
export const KAFKA_APIS: ReadonlyMap<number, ApiDefinition> = new Map<number, ApiDefinition>(
  [ApiVersions as unknown as ApiDefinition].map((api) => [api.key, api]),
);
