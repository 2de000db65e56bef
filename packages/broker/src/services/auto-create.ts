/**
 * Auto-creation of topics named by a Metadata request (Kafka's auto.create.topics.enable): missing
 * topics are created through the active controller, then the broker waits (bounded) until its own
 * metadata image shows them, so the answer names their leaders.
 */
import { type TributaryError, validateTopicName } from '@tributary/core';
import type { MetadataImage } from '@tributary/metadata';
import { asTributaryError, type MetadataTopicResult } from '@tributary/protocol';
import type { Logger } from 'pino';
import { REQUEST_LIMITS } from './limits.js';
import { topicError } from './metadata-view.js';

export interface CreateTopicRequest {
  readonly name: string;
  readonly partitions: number;
  readonly replicationFactor: number;
}

export interface AutoCreateOptions {
  /** Creates a topic through the active controller; rejects with a TributaryError. */
  readonly createTopic: (request: CreateTopicRequest) => Promise<void>;
  readonly defaultPartitions: number;
  readonly defaultReplicationFactor: number;
  /** How long to wait for the created topics to appear in the local image. */
  readonly waitMs: number;
}

export interface ImageSource {
  currentImage(): MetadataImage;
  onImage(listener: (image: MetadataImage) => void): () => void;
}

/** Resolves with the first image holding every name, or with the current image after timeoutMs. */
export function waitForTopics(
  source: ImageSource,
  names: readonly string[],
  timeoutMs: number,
): Promise<MetadataImage> {
  const hasAll = (image: MetadataImage): boolean =>
    names.every((name) => image.topicByName(name) !== undefined);
  const current = source.currentImage();
  if (hasAll(current)) return Promise.resolve(current);
  return new Promise((resolve) => {
    const finish = (image: MetadataImage): void => {
      clearTimeout(timer);
      unsubscribe();
      resolve(image);
    };
    const timer = setTimeout(() => finish(source.currentImage()), timeoutMs);
    const unsubscribe = source.onImage((image) => {
      if (hasAll(image)) finish(image);
    });
  });
}

/**
 * Creates the missing topics (at most REQUEST_LIMITS.autoCreateTopicsPerRequestMax) and returns the
 * failures by name: invalid names, too many topics, controller errors. TOPIC_ALREADY_EXISTS is success
 * (another broker or client won the race).
 */
export async function createMissingTopics(
  image: MetadataImage,
  missing: readonly string[],
  options: AutoCreateOptions,
  logger: Logger,
): Promise<Map<string, MetadataTopicResult>> {
  const failures = new Map<string, MetadataTopicResult>();
  const fail = (name: string, error: TributaryError): void => {
    failures.set(name, topicError(name, error.code, error.message));
  };
  const unfenced = image.unfencedBrokerIds().length;
  const replicationFactor = Math.max(1, Math.min(options.defaultReplicationFactor, unfenced));
  const creations: Promise<void>[] = [];
  for (const [index, name] of missing.entries()) {
    if (index >= REQUEST_LIMITS.autoCreateTopicsPerRequestMax) {
      failures.set(
        name,
        topicError(
          name,
          'UNKNOWN_TOPIC_OR_PARTITION',
          `at most ${REQUEST_LIMITS.autoCreateTopicsPerRequestMax} topics are auto-created per request`,
        ),
      );
      continue;
    }
    try {
      validateTopicName(name);
    } catch (error) {
      fail(name, asTributaryError(error));
      continue;
    }
    const request = { name, partitions: options.defaultPartitions, replicationFactor };
    creations.push(
      options.createTopic(request).then(
        () => logger.info(request, 'auto-created topic'),
        (thrown: unknown) => {
          const error = asTributaryError(thrown);
          if (error.code === 'TOPIC_ALREADY_EXISTS') return;
          logger.warn({ topic: name, code: error.code, err: error }, 'topic auto-creation failed');
          fail(name, error);
        },
      ),
    );
  }
  await Promise.all(creations);
  return failures;
}
