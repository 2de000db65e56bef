/**
 * The security records' part of a MetadataDelta (KRaft's AclsDelta, ScramDelta and ClientQuotasDelta):
 * replays AccessControlEntry, RemoveAccessControlEntry, UserScramCredential, RemoveUserScramCredential
 * and ClientQuota records, and builds the next sub-images. A sub-image no record touched is returned
 * as it was (same object), so publishers compare identities. Replay asserts what only a controller bug
 * can break (an ACL id reused, a removal of what does not exist, keys of the wrong length); the bounds
 * a request must respect are the controller's to check, so a lowered limit never fails a replay.
 */
import { assert, assertNever } from '@tributary/core';
import type { AclEntry, QuotaKey, ScramCredential, ScramMechanism } from '@tributary/security';
import { PersistentMap } from './persistent/persistent-map.js';
import type {
  AccessControlEntryRecord,
  ClientQuotaRecord,
  RemoveAccessControlEntryRecord,
  RemoveUserScramCredentialRecord,
  UserScramCredentialRecord,
} from './records.js';
import {
  AclsImage,
  type ClientQuotaEntry,
  ClientQuotasImage,
  quotaEntityKey,
  ScramImage,
  type UserScramCredentials,
} from './security-image.js';

export type SecurityRecord =
  | AccessControlEntryRecord
  | RemoveAccessControlEntryRecord
  | UserScramCredentialRecord
  | RemoveUserScramCredentialRecord
  | ClientQuotaRecord;

export interface SecurityImages {
  readonly acls: AclsImage;
  readonly scram: ScramImage;
  readonly clientQuotas: ClientQuotasImage;
}

/** Bytes of SHA-256 and SHA-512 output: the length of a credential's StoredKey and ServerKey. */
export const SCRAM_KEY_BYTES: Readonly<Record<ScramMechanism, number>> = {
  'SCRAM-SHA-256': 32,
  'SCRAM-SHA-512': 64,
};

export class SecurityDelta {
  readonly #base: SecurityImages;
  /** null = removed in this delta. */
  readonly #acls = new Map<string, AclEntry | null>();
  /** Full credential maps of the users this delta touched (empty = the user has none left). */
  readonly #users = new Map<string, Map<ScramMechanism, ScramCredential>>();
  /** Full quota maps of the entities this delta touched (empty values = no quota left). */
  readonly #quotas = new Map<string, { entity: ClientQuotaEntry['entity']; values: Map<QuotaKey, number> }>();

  constructor(base: SecurityImages) {
    this.#base = base;
  }

  replay(record: SecurityRecord): void {
    switch (record.type) {
      case 'AccessControlEntry': {
        assert(
          this.acl(record.id) === undefined,
          () => `AccessControlEntry: ACL id ${record.id} already exists`,
        );
        assert(
          this.#acls.get(record.id) !== null,
          () => `AccessControlEntry: ACL id ${record.id} was reused`,
        );
        const { type: _type, ...entry } = record;
        this.#acls.set(record.id, entry);
        return;
      }
      case 'RemoveAccessControlEntry':
        assert(
          this.acl(record.id) !== undefined,
          () => `RemoveAccessControlEntry: unknown ACL id ${record.id}`,
        );
        if (this.#base.acls.acl(record.id) === undefined) this.#acls.delete(record.id);
        else this.#acls.set(record.id, null);
        return;
      case 'UserScramCredential': {
        const keyBytes = SCRAM_KEY_BYTES[record.mechanism];
        const where = `UserScramCredential ${record.user} ${record.mechanism}`;
        assert(
          record.storedKey.length === keyBytes && record.serverKey.length === keyBytes,
          () => `${where}: keys must be ${keyBytes} bytes`,
        );
        assert(record.iterations > 0 && record.salt.length > 0, () => `${where}: no salt or no iterations`);
        const { type: _type, ...credential } = record;
        this.#touchUser(record.user).set(record.mechanism, credential);
        return;
      }
      case 'RemoveUserScramCredential': {
        const credentials = this.#touchUser(record.user);
        assert(
          credentials.delete(record.mechanism),
          () => `RemoveUserScramCredential: ${record.user} has no ${record.mechanism} credential`,
        );
        return;
      }
      case 'ClientQuota':
        this.#replayClientQuota(record);
        return;
      default:
        assertNever(record, 'security record');
    }
  }

  /** The ACL as this delta sees it. */
  acl(id: string): AclEntry | undefined {
    const changed = this.#acls.get(id);
    if (changed === null) return undefined;
    return changed ?? this.#base.acls.acl(id);
  }

  /** The next sub-images; those no record touched are the base's own objects. */
  apply(): SecurityImages {
    return { acls: this.#applyAcls(), scram: this.#applyScram(), clientQuotas: this.#applyQuotas() };
  }

  #replayClientQuota(record: ClientQuotaRecord): void {
    const key = quotaEntityKey(record.entity);
    let touched = this.#quotas.get(key);
    if (touched === undefined) {
      touched = { entity: record.entity, values: new Map(this.#base.clientQuotas.byEntity.get(key)?.values) };
      this.#quotas.set(key, touched);
    }
    if (record.value === null) {
      touched.values.delete(record.key);
      return;
    }
    const value = record.value;
    assert(
      Number.isFinite(value) && value > 0,
      () => `ClientQuota ${key} ${record.key}: ${value} is not a positive number`,
    );
    touched.values.set(record.key, value);
  }

  #touchUser(user: string): Map<ScramMechanism, ScramCredential> {
    let credentials = this.#users.get(user);
    if (credentials === undefined) {
      credentials = new Map(this.#base.scram.users.get(user));
      this.#users.set(user, credentials);
    }
    return credentials;
  }

  #applyAcls(): AclsImage {
    if (this.#acls.size === 0) return this.#base.acls;
    const set: [string, AclEntry][] = [];
    const removed: string[] = [];
    for (const [id, entry] of this.#acls) {
      if (entry === null) removed.push(id);
      else set.push([id, entry]);
    }
    return new AclsImage(PersistentMap.from(this.#base.acls.byId).withChanges(set, removed));
  }

  #applyScram(): ScramImage {
    if (this.#users.size === 0) return this.#base.scram;
    const set: [string, UserScramCredentials][] = [];
    const removed: string[] = [];
    for (const [user, credentials] of this.#users) {
      if (credentials.size === 0) removed.push(user);
      else set.push([user, new Map(credentials)]);
    }
    return new ScramImage(PersistentMap.from(this.#base.scram.users).withChanges(set, removed));
  }

  #applyQuotas(): ClientQuotasImage {
    if (this.#quotas.size === 0) return this.#base.clientQuotas;
    const set: [string, ClientQuotaEntry][] = [];
    const removed: string[] = [];
    for (const [key, { entity, values }] of this.#quotas) {
      if (values.size === 0) removed.push(key);
      else set.push([key, { entity, values: new Map(values) }]);
    }
    return new ClientQuotasImage(
      PersistentMap.from(this.#base.clientQuotas.byEntity).withChanges(set, removed),
    );
  }
}
