/**
 * What the Kafka admin handlers (admin-topics.ts, admin-configs.ts) share: the time budget of one
 * request, waiting until this broker's image shows a write the controller committed, bounded fan-out,
 * and per-resource refusals with codes from the shared error table.
 *
 * Why wait for the image: the controller answers once a write commits, but this broker answers the
 * client's next Metadata or DescribeConfigs from its own image, which follows a moment later. KafkaJS's
 * createTopics asks this broker for the new topic's leaders right away and fails on
 * UNKNOWN_TOPIC_OR_PARTITION, so a write is answered once the image shows it (bounded by the request's
 * timeout, as Kafka's ZooKeeper-era brokers waited for propagation).
 */
import { ERROR_CODES, type ErrorCode, mapConcurrently } from '@tributary/core';
import type { MetadataImage } from '@tributary/metadata';
import type { RequestCaller } from '@tributary/security';
import type {
  ForwardedAdminMethod,
  ForwardedAdminRequest,
  ForwardedAdminResponse,
} from '../../services/admin-forwarding.js';
import { REQUEST_LIMITS } from '../../services/limits.js';
import { currentKafkaCaller } from '../handler.js';
import { kafkaCodeOfError, kafkaErrorMessage } from '../kafka-errors.js';
import { KAFKA_ADMIN_DEFAULTS, KAFKA_ADMIN_LIMITS } from '../limits.js';
import type { KafkaBrokerParts } from '../parts.js';

/** A per-resource error as Kafka answers it: a wire code and a message. */
export interface AdminError {
  readonly errorCode: number;
  readonly errorMessage: string;
}

export function isAdminError<T extends object>(value: T | AdminError): value is AdminError {
  return 'errorCode' in value;
}

export function refusal(code: ErrorCode, message: string): AdminError {
  return { errorCode: ERROR_CODES[code].kafka, errorMessage: message };
}

/** A forwarded call's failure (a TributaryError with the controller's code, or anything else). */
export function adminErrorOf(error: unknown): AdminError {
  return { errorCode: kafkaCodeOfError(error), errorMessage: kafkaErrorMessage(error) };
}

/**
 * The time budget of one admin request. `timeoutMs` is the request's own (CreateTopics, DeleteTopics,
 * CreatePartitions), capped like every forwarded call. Null (AlterConfigs and IncrementalAlterConfigs
 * have none) takes KAFKA_ADMIN_DEFAULTS.forwardDeadlineMs. A timeout <= 0 means, in Kafka, "make the
 * change and do not wait for it to propagate": the call still gets the default deadline (the change must
 * reach the controller to happen at all), but the answer does not wait for this broker's image.
 */
export class AdminBudget {
  readonly #endMs: number;
  readonly waitsForPropagation: boolean;

  constructor(timeoutMs: number | null) {
    const given = timeoutMs !== null && timeoutMs > 0;
    const budgetMs = given ? timeoutMs : KAFKA_ADMIN_DEFAULTS.forwardDeadlineMs;
    this.#endMs = performance.now() + Math.min(budgetMs, REQUEST_LIMITS.adminForwardDeadlineMsMax);
    this.waitsForPropagation = timeoutMs === null || given;
  }

  /** Milliseconds left; the forwarder answers REQUEST_TIMED_OUT once none are. */
  remainingMs(): number {
    return Math.max(0, Math.floor(this.#endMs - performance.now()));
  }
}

export type Forwarded<M extends ForwardedAdminMethod> =
  | { readonly ok: true; readonly answer: ForwardedAdminResponse<M> }
  | { readonly ok: false; readonly error: AdminError };

/** The original caller, named to the controller so that it authorizes and audits them (not this broker). */
function callerOption(): { caller?: RequestCaller } {
  const caller = currentKafkaCaller();
  return caller === undefined ? {} : { caller };
}

/** One call to the active controller within the request's budget; its failure becomes an AdminError. */
export async function forward<M extends ForwardedAdminMethod>(
  parts: Pick<KafkaBrokerParts, 'admin'>,
  method: M,
  request: ForwardedAdminRequest<M>,
  budget: AdminBudget,
): Promise<Forwarded<M>> {
  try {
    return {
      ok: true,
      answer: await parts.admin.forward(method, request, {
        deadlineMs: budget.remainingMs(),
        ...callerOption(),
      }),
    };
  } catch (error) {
    return { ok: false, error: adminErrorOf(error) };
  }
}

/**
 * One result per distinct name, in the order names first appear: a name given twice is refused (as
 * Kafka's "Duplicate topic name.", INVALID_REQUEST), and a request naming too many is refused whole.
 */
export async function perDistinctName<T, R>(
  items: readonly T[],
  nameOf: (item: T) => string,
  handlers: {
    readonly work: (item: T) => Promise<R>;
    readonly refuse: (name: string, error: AdminError) => R;
  },
): Promise<R[]> {
  const counts = new Map<string, number>();
  const firsts: T[] = [];
  for (const item of items) {
    const count = counts.get(nameOf(item)) ?? 0;
    if (count === 0) firsts.push(item);
    counts.set(nameOf(item), count + 1);
  }
  const tooMany = tooManyResources(firsts.length);
  if (tooMany !== null) return firsts.map((item) => handlers.refuse(nameOf(item), tooMany));
  const duplicate = refusal('INVALID_REQUEST', 'the request names this resource more than once');
  return mapBounded(firsts, async (item) =>
    (counts.get(nameOf(item)) ?? 0) > 1 ? handlers.refuse(nameOf(item), duplicate) : handlers.work(item),
  );
}

/**
 * Resolves true once this broker's image satisfies `holds`, or false when `timeoutMs` passes first.
 * The wait is bounded and never fails: the write is already committed, only its visibility here lags.
 */
export function waitForImage(
  parts: Pick<KafkaBrokerParts, 'metadata'>,
  holds: (image: MetadataImage) => boolean,
  timeoutMs: number,
): Promise<boolean> {
  if (holds(parts.metadata.currentImage())) return Promise.resolve(true);
  if (timeoutMs <= 0) return Promise.resolve(false);
  return new Promise((resolve) => {
    const finish = (seen: boolean): void => {
      clearTimeout(timer);
      unsubscribe();
      resolve(seen);
    };
    const timer = setTimeout(() => finish(holds(parts.metadata.currentImage())), timeoutMs);
    const unsubscribe = parts.metadata.onImage((image) => {
      if (holds(image)) finish(true);
    });
  });
}

/**
 * Runs `work` over `items` with at most KAFKA_ADMIN_LIMITS.forwardsPerRequestMax in flight, results in
 * input order. `work` must not reject (each resource turns its failure into its own error result).
 */
export function mapBounded<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
  return mapConcurrently(items, KAFKA_ADMIN_LIMITS.forwardsPerRequestMax, work);
}

/** Why a request naming this many resources is refused whole, or null. */
export function tooManyResources(count: number): AdminError | null {
  if (count <= KAFKA_ADMIN_LIMITS.resourcesPerRequestMax) return null;
  return refusal(
    'INVALID_REQUEST',
    `the request names ${count} resources; at most ${KAFKA_ADMIN_LIMITS.resourcesPerRequestMax} are served per request`,
  );
}
