/**
 * The bookkeeping of gRPC authentication (DESIGN §10), kept pure: time comes in as `nowMs`, tokens and ids
 * are made by the caller. Two bounded maps in insertion order, which is also expiry order (every entry of a
 * map lives equally long), so expired entries are always at the front and are swept from there:
 *
 * - ExpiringMap: SCRAM exchanges waiting for their client-final; an entry is taken once (a replayed
 *   client-final finds nothing).
 * - SessionStore: sessions by token. A session is valid until it expires AND only while the credential it
 *   was made from is still in the metadata image (same stored key): deleting a user or changing its password
 *   ends every session made with the old one, on every process, as soon as that process replays the record.
 *
 * When a map is full the oldest entry makes room (its client authenticates again): a bound that nobody,
 * authenticated or not, can turn into refusing everyone else.
 */
import { assert } from '@tributary/core';
import { bytesEqual, type ScramCredential, type ScramMechanism, SECURITY_LIMITS } from '@tributary/security';

/** A bounded map whose entries expire `ttlMs` after they were added. */
export class ExpiringMap<V> {
  readonly #entries = new Map<string, { readonly value: V; readonly expiresAtMs: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly sizeMax: number,
  ) {
    assert(ttlMs > 0 && sizeMax > 0, 'an ExpiringMap has a positive lifetime and size bound');
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Adds an entry (keys are fresh random ids: a key is never reused). */
  add(key: string, value: V, nowMs: number): void {
    assert(!this.#entries.has(key), 'keys of an ExpiringMap are never reused');
    this.sweep(nowMs);
    while (this.#entries.size >= this.sizeMax) {
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) break;
      this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, { value, expiresAtMs: nowMs + this.ttlMs });
    assert(this.#entries.size <= this.sizeMax, 'an ExpiringMap stays within its bound');
  }

  /** The live entry for `key`, without removing it. */
  peek(key: string, nowMs: number): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAtMs <= nowMs) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** Removes the entry for `key` and returns it if it was live: each entry is taken at most once. */
  take(key: string, nowMs: number): V | undefined {
    const value = this.peek(key, nowMs);
    this.#entries.delete(key);
    return value;
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  /** Drops expired entries (all at the front: insertion order is expiry order). */
  sweep(nowMs: number): void {
    for (const [key, entry] of this.#entries) {
      if (entry.expiresAtMs > nowMs) return;
      this.#entries.delete(key);
    }
  }
}

/** What a session remembers: who, and the credential it was proven against. */
export interface AuthSession {
  readonly user: string;
  readonly mechanism: ScramMechanism;
  readonly storedKey: Uint8Array;
}

export type SessionCheck =
  | { readonly ok: true; readonly session: AuthSession }
  /** unknown: never made here, expired, or evicted; revoked: the user or its credential changed since. */
  | { readonly ok: false; readonly reason: 'unknown' | 'revoked' };

/** Looks a credential up in the process's current metadata image. */
export type CredentialLookup = (user: string, mechanism: ScramMechanism) => ScramCredential | undefined;

export class SessionStore {
  readonly #sessions: ExpiringMap<AuthSession>;

  constructor(options: { readonly lifetimeMs: number; readonly sessionsMax?: number }) {
    assert(
      options.lifetimeMs >= SECURITY_LIMITS.sessionLifetimeMsMin &&
        options.lifetimeMs <= SECURITY_LIMITS.sessionLifetimeMsMax,
      () => `a session lifetime of ${options.lifetimeMs} ms is out of bounds`,
    );
    this.#sessions = new ExpiringMap(
      options.lifetimeMs,
      options.sessionsMax ?? SECURITY_LIMITS.authSessionsMax,
    );
  }

  get size(): number {
    return this.#sessions.size;
  }

  create(token: string, session: AuthSession, nowMs: number): void {
    this.#sessions.add(token, session, nowMs);
  }

  /** Whether `token` names a live session whose credential is still the one in the image. */
  check(token: string, nowMs: number, lookup: CredentialLookup): SessionCheck {
    const session = this.#sessions.peek(token, nowMs);
    if (session === undefined) return { ok: false, reason: 'unknown' };
    const current = lookup(session.user, session.mechanism);
    if (current === undefined || !bytesEqual(current.storedKey, session.storedKey)) {
      this.#sessions.delete(token);
      return { ok: false, reason: 'revoked' };
    }
    return { ok: true, session };
  }
}
