/**
 * The injected context for the pure controller decisions in src/control/: randomness, time and topic
 * ids come from here (the shell), never from inside a decision.
 */
import { randomUUID } from 'node:crypto';
import { type Clock, type Random, systemClock, systemRandom } from '@tributary/core';
import type { MetadataImage } from '@tributary/metadata';
import type { AclIdSource } from './control/acls.js';
import type { ControllerContext } from './control/context.js';

/** Kafka's default.replication.factor is 1; a dev cluster with one broker must work out of the box. */
export const DEFAULT_REPLICATION_FACTOR_MAX = 3;
export const DEFAULT_PARTITIONS = 1;

export interface CommandContextOptions {
  readonly random?: Random;
  readonly clock?: Clock;
  readonly newTopicId?: () => string;
  /** Ids of new ACL entries; default a random UUID. */
  readonly newAclId?: () => string;
}

export class CommandContextFactory {
  private readonly random: Random;
  private readonly clock: Clock;
  private readonly topicId: () => string;
  private readonly aclId: () => string;

  constructor(options: CommandContextOptions = {}) {
    this.random = options.random ?? systemRandom;
    this.clock = options.clock ?? systemClock;
    this.topicId = options.newTopicId ?? randomUUID;
    this.aclId = options.newAclId ?? randomUUID;
  }

  /** The context for one decision against `image`: the default replication factor fits its brokers. */
  contextFor(image: MetadataImage): ControllerContext {
    const brokers = image.unfencedBrokerIds().length;
    const newTopicId = this.topicId;
    return {
      random: this.random,
      nowMs: this.clock.nowMs(),
      newTopicId: () => newTopicId(),
      defaultReplicationFactor: Math.max(1, Math.min(DEFAULT_REPLICATION_FACTOR_MAX, brokers)),
      defaultPartitions: DEFAULT_PARTITIONS,
    };
  }

  /** The id source of CreateAcls (Kafka's AclControlManager gives each new ACL a random UUID). */
  aclIds(): AclIdSource {
    const newAclId = this.aclId;
    return { newAclId: () => newAclId() };
  }
}
