/**
 * The security part of the metadata image (DESIGN §10), as KRaft splits it: AclsImage (ACL entries by
 * id), ScramImage (credentials by user, then mechanism) and ClientQuotasImage (quotas by entity). Each is
 * immutable and shared by identity with the image it came from while no record touches it, so a publisher
 * can tell "the ACLs changed" by `previous.acls !== next.acls` without comparing entries.
 */
import type { AclEntry, QuotaEntity, QuotaKey, ScramCredential, ScramMechanism } from '@tributary/security';
import { PersistentMap } from './persistent/persistent-map.js';

export class AclsImage {
  static readonly EMPTY: AclsImage = new AclsImage(PersistentMap.empty());

  /** Every ACL entry, keyed by its id, in the order they were created. */
  readonly byId: ReadonlyMap<string, AclEntry>;

  constructor(byId: ReadonlyMap<string, AclEntry>) {
    this.byId = PersistentMap.from(byId);
  }

  get size(): number {
    return this.byId.size;
  }

  acl(id: string): AclEntry | undefined {
    return this.byId.get(id);
  }
}

/** A user's credentials, at most one per mechanism. */
export type UserScramCredentials = ReadonlyMap<ScramMechanism, ScramCredential>;

export class ScramImage {
  static readonly EMPTY: ScramImage = new ScramImage(PersistentMap.empty());

  /** Users with at least one credential; a user whose last credential is removed has no entry. */
  readonly users: ReadonlyMap<string, UserScramCredentials>;

  constructor(users: ReadonlyMap<string, UserScramCredentials>) {
    this.users = PersistentMap.from(users);
  }

  credential(user: string, mechanism: ScramMechanism): ScramCredential | undefined {
    return this.users.get(user)?.get(mechanism);
  }
}

/** The quotas set on one entity. */
export interface ClientQuotaEntry {
  readonly entity: QuotaEntity;
  /** Never empty: an entity whose last quota is removed has no entry. */
  readonly values: ReadonlyMap<QuotaKey, number>;
}

export class ClientQuotasImage {
  static readonly EMPTY: ClientQuotasImage = new ClientQuotasImage(PersistentMap.empty());

  /** Keyed by quotaEntityKey(entity). */
  readonly byEntity: ReadonlyMap<string, ClientQuotaEntry>;

  constructor(byEntity: ReadonlyMap<string, ClientQuotaEntry>) {
    this.byEntity = PersistentMap.from(byEntity);
  }

  quotasOf(entity: QuotaEntity): ReadonlyMap<QuotaKey, number> | undefined {
    return this.byEntity.get(quotaEntityKey(entity))?.values;
  }
}

/**
 * One string per entity, telling apart a part that is absent (the entity does not have it), the default
 * (null) and a name: `["alice",false]` is user alice alone, `[null,"app"]` the default user with client app.
 */
export function quotaEntityKey(entity: QuotaEntity): string {
  const part = (value: string | null | undefined): string | null | false =>
    value === undefined ? false : value;
  return JSON.stringify([part(entity.user), part(entity.clientId)]);
}
