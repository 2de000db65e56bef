/**
 * RFC 5802 §3's server-side keys from a salted password: StoredKey = H(HMAC(SaltedPassword, "Client Key"))
 * and ServerKey = HMAC(SaltedPassword, "Server Key"), with H and HMAC of the mechanism's hash (RFC 7677
 * for SHA-256). Deterministic, so decisions stay replayable. The security package's SCRAM module is the
 * place for this rule; the commands take it as a ScramKeyDerivation so that wiring that module in is a
 * one-line change here once it exports one.
 */
import { createHash, createHmac } from 'node:crypto';
import type { ScramMechanism } from '@tributary/security';

export type ScramKeyDerivation = (
  mechanism: ScramMechanism,
  saltedPassword: Uint8Array,
) => { readonly storedKey: Uint8Array; readonly serverKey: Uint8Array };

const HASHES: Readonly<Record<ScramMechanism, string>> = {
  'SCRAM-SHA-256': 'sha256',
  'SCRAM-SHA-512': 'sha512',
};

export const scramServerKeys: ScramKeyDerivation = (mechanism, saltedPassword) => {
  const hash = HASHES[mechanism];
  const clientKey = createHmac(hash, saltedPassword).update('Client Key').digest();
  const storedKey = createHash(hash).update(clientKey).digest();
  const serverKey = createHmac(hash, saltedPassword).update('Server Key').digest();
  return { storedKey: new Uint8Array(storedKey), serverKey: new Uint8Array(serverKey) };
};
