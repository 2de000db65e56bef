/**
 * Metadata records (DESIGN §5), as KRaft keeps them. The active controller decides which records a
 * command produces; every controller and broker changes state only by replaying committed records.
 * Epochs are explicit in the records the controller writes, and replay asserts they only grow.
 */
import type { BrokerEpoch, BrokerId, LeaderEpoch, PartitionEpoch } from '@tributary/core';
import type { AclEntry, QuotaEntity, QuotaKey, ScramCredential, ScramMechanism } from '@tributary/security';

/** Topic ids are UUID strings (as Kafka's), chosen by the active controller when it creates a topic. */
export type TopicId = string;

export const NO_LEADER = -1;

export interface RegisterBrokerRecord {
  readonly type: 'RegisterBroker';
  readonly brokerId: BrokerId;
  readonly brokerEpoch: BrokerEpoch;
  readonly incarnationId: string;
  readonly address: string;
  readonly rack: string | null;
  /** Registered brokers start fenced and are unfenced once caught up with the metadata log. */
  readonly fenced: boolean;
  /**
   * host:port of the broker's Kafka listener (DESIGN §9), what Kafka Metadata answers name; absent when
   * the broker serves no Kafka listener (and in records written before there was one).
   */
  readonly kafkaAddress?: string;
}

export interface UnregisterBrokerRecord {
  readonly type: 'UnregisterBroker';
  readonly brokerId: BrokerId;
  readonly brokerEpoch: BrokerEpoch;
}

export interface FenceBrokerRecord {
  readonly type: 'FenceBroker';
  readonly brokerId: BrokerId;
  readonly brokerEpoch: BrokerEpoch;
}

export interface UnfenceBrokerRecord {
  readonly type: 'UnfenceBroker';
  readonly brokerId: BrokerId;
  readonly brokerEpoch: BrokerEpoch;
}

export interface TopicRecord {
  readonly type: 'Topic';
  readonly name: string;
  readonly topicId: TopicId;
}

export interface RemoveTopicRecord {
  readonly type: 'RemoveTopic';
  readonly topicId: TopicId;
}

export interface PartitionRecord {
  readonly type: 'Partition';
  readonly topicId: TopicId;
  readonly partition: number;
  readonly replicas: readonly BrokerId[];
  readonly isr: readonly BrokerId[];
  /** NO_LEADER (-1) when no replica can lead. */
  readonly leader: BrokerId | typeof NO_LEADER;
  readonly leaderEpoch: LeaderEpoch;
  readonly partitionEpoch: PartitionEpoch;
  /**
   * Set while a reassignment (KIP-455) is in progress, left out otherwise: the replicas being added
   * (catching up as followers) and the ones to remove once they have joined the ISR. Both are subsets of
   * `replicas`, which holds the union of the old and the target replica lists while the move runs.
   */
  readonly addingReplicas?: readonly BrokerId[];
  readonly removingReplicas?: readonly BrokerId[];
}

/**
 * A change to an existing partition. Fields left out keep their value. A leader change must carry a
 * higher leaderEpoch; every change carries a higher partitionEpoch.
 */
export interface PartitionChangeRecord {
  readonly type: 'PartitionChange';
  readonly topicId: TopicId;
  readonly partition: number;
  readonly leader?: BrokerId | typeof NO_LEADER;
  readonly isr?: readonly BrokerId[];
  readonly replicas?: readonly BrokerId[];
  /** A reassignment's replica sets; an empty list ends the reassignment's use of the field. */
  readonly addingReplicas?: readonly BrokerId[];
  readonly removingReplicas?: readonly BrokerId[];
  readonly leaderEpoch: LeaderEpoch;
  readonly partitionEpoch: PartitionEpoch;
}

export type ConfigResourceType = 'topic' | 'broker' | 'cluster';

/** Sets (value non-null) or removes (value null) one config key of a resource. */
export interface ConfigRecord {
  readonly type: 'Config';
  readonly resourceType: ConfigResourceType;
  /** Topic name, broker id as a string, or '' for the cluster. */
  readonly resourceName: string;
  readonly name: string;
  readonly value: string | null;
}

/** Hands the block [previous next, nextProducerId) of producer ids to a broker. */
export interface ProducerIdsRecord {
  readonly type: 'ProducerIds';
  readonly brokerId: BrokerId;
  readonly brokerEpoch: BrokerEpoch;
  readonly nextProducerId: number;
}

/** One ACL (KRaft's AccessControlEntryRecord); its id is chosen by the active controller (a UUID). */
export interface AccessControlEntryRecord extends AclEntry {
  readonly type: 'AccessControlEntry';
}

/** Removes the ACL with this id (KRaft's RemoveAccessControlEntryRecord). */
export interface RemoveAccessControlEntryRecord {
  readonly type: 'RemoveAccessControlEntry';
  readonly id: string;
}

/**
 * Creates or replaces the SCRAM credential of (user, mechanism) (KRaft's UserScramCredentialRecord): the
 * salt, StoredKey and ServerKey of RFC 5802, never the password nor the salted password.
 */
export interface UserScramCredentialRecord extends ScramCredential {
  readonly type: 'UserScramCredential';
}

export interface RemoveUserScramCredentialRecord {
  readonly type: 'RemoveUserScramCredential';
  readonly user: string;
  readonly mechanism: ScramMechanism;
}

/**
 * Sets (value non-null) or removes (value null) one quota of a client quota entity (KRaft's
 * ClientQuotaRecord). In a stored entity an absent key means the entity does not have that part, and
 * null names the default (Kafka's `<default>`).
 */
export interface ClientQuotaRecord {
  readonly type: 'ClientQuota';
  readonly entity: QuotaEntity;
  readonly key: QuotaKey;
  readonly value: number | null;
}

export type MetadataRecord =
  | RegisterBrokerRecord
  | UnregisterBrokerRecord
  | FenceBrokerRecord
  | UnfenceBrokerRecord
  | TopicRecord
  | RemoveTopicRecord
  | PartitionRecord
  | PartitionChangeRecord
  | ConfigRecord
  | ProducerIdsRecord
  | AccessControlEntryRecord
  | RemoveAccessControlEntryRecord
  | UserScramCredentialRecord
  | RemoveUserScramCredentialRecord
  | ClientQuotaRecord;

export type MetadataRecordType = MetadataRecord['type'];
