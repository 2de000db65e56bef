/**
 * The bootstrap super user (`--bootstrap-scram-user NAME --bootstrap-scram-password-file FILE`), so that a
 * new secure cluster is usable, as Kafka's `kafka-storage format --add-scram` seeds SCRAM users.
 *
 * When: every time this controller becomes active (its no-op committed, so its image holds every
 * committed record), it runs bootstrapScramUser as a command. That decision writes SCRAM-SHA-256 and
 * SCRAM-SHA-512 credentials only while the metadata log has no credential at all for NAME, so the first
 * active controller of the quorum creates the user, and every later activation, restart or controller
 * given the same flags finds it and writes nothing. A credential an operator later changes or deletes is
 * therefore never overwritten — except that deleting the user entirely while the flag is still given
 * brings it back at the next activation (documented: drop the flags once the cluster is set up).
 *
 * The password is read once at start, salted (random salt per mechanism) and hashed at once; only the
 * salted passwords stay in memory until the decision turns them into StoredKey/ServerKey. Nothing here
 * logs the password, the salt or a key.
 */
import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { LIMITS, TributaryError } from '@tributary/core';
import { ConfigError } from '@tributary/core/config';
import { SCRAM_KEY_BYTES } from '@tributary/metadata';
import { SCRAM_MECHANISMS, type ScramMechanism } from '@tributary/security';
import type { Logger } from 'pino';
import { bootstrapScramUser, type ScramUpsertion } from './control/scram.js';
import type { QuorumController } from './quorum-controller.js';
import { auditorFor } from './services/audit.js';

/** Iterations of the bootstrap credentials: twice RFC 7677's minimum (Kafka's tools default to the minimum). */
export const BOOTSTRAP_SCRAM_ITERATIONS = 2 * LIMITS.scramIterationsMin;
/** Salt bytes per credential (above LIMITS.scramSaltBytesMin). */
export const BOOTSTRAP_SALT_BYTES = 32;
/** A password file larger than this is not a password file. */
const PASSWORD_FILE_BYTES_MAX = 4_096;
/** How long an activation waits before trying again after a failed attempt (a slow commit, say). */
export const BOOTSTRAP_RETRY_MS = 1_000;

const PBKDF2_HASHES: Readonly<Record<ScramMechanism, string>> = {
  'SCRAM-SHA-256': 'sha256',
  'SCRAM-SHA-512': 'sha512',
};

/** The bootstrap user's credentials, ready to decide: user name and one upsertion per mechanism. */
export interface BootstrapUserCredentials {
  readonly user: string;
  readonly upsertions: readonly ScramUpsertion[];
}

/** Salts and hashes `password` for every mechanism (RFC 5802's Hi is PBKDF2 with the mechanism's HMAC). */
export function bootstrapCredentials(user: string, password: string): BootstrapUserCredentials {
  const upsertions = SCRAM_MECHANISMS.map((mechanism): ScramUpsertion => {
    const salt = new Uint8Array(randomBytes(BOOTSTRAP_SALT_BYTES));
    const saltedPassword = pbkdf2Sync(
      password,
      salt,
      BOOTSTRAP_SCRAM_ITERATIONS,
      SCRAM_KEY_BYTES[mechanism],
      PBKDF2_HASHES[mechanism],
    );
    return {
      user,
      mechanism,
      iterations: BOOTSTRAP_SCRAM_ITERATIONS,
      salt,
      saltedPassword: new Uint8Array(saltedPassword),
    };
  });
  return { user, upsertions };
}

/**
 * Reads the password file (its first line; a trailing newline is not part of the password) and salts it.
 * A missing, empty or oversized file, or a bad user name, is a ConfigError (exit 2 at start-up) that
 * names the file, never its content.
 */
export function loadBootstrapUser(user: string, passwordFile: string): BootstrapUserCredentials {
  if (user.length > LIMITS.scramUserNameLengthMax) {
    throw new ConfigError(`--bootstrap-scram-user: longer than ${LIMITS.scramUserNameLengthMax} characters`);
  }
  let text: string;
  try {
    const bytes = readFileSync(passwordFile);
    if (bytes.length > PASSWORD_FILE_BYTES_MAX) {
      throw new ConfigError(
        `--bootstrap-scram-password-file ${passwordFile}: larger than ${PASSWORD_FILE_BYTES_MAX} bytes`,
      );
    }
    text = bytes.toString('utf8');
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const reason = error instanceof Error && 'code' in error ? String(error.code) : 'unreadable';
    throw new ConfigError(`--bootstrap-scram-password-file ${passwordFile}: cannot be read (${reason})`);
  }
  const password = text.split(/\r?\n/, 1)[0] ?? '';
  if (password.length === 0) {
    throw new ConfigError(
      `--bootstrap-scram-password-file ${passwordFile}: the first line (the password) is empty`,
    );
  }
  return bootstrapCredentials(user, password);
}

export interface BootstrapUserOptions {
  readonly quorum: QuorumController;
  readonly credentials: BootstrapUserCredentials;
  readonly logger: Logger;
  readonly retryMs?: number;
}

/** Runs the bootstrap decision on each activation until it succeeds for that activation. */
export class BootstrapUser {
  private retry: NodeJS.Timeout | undefined;
  private running = false;
  /** The activation that has already run the decision successfully (a counter, to tell them apart). */
  private activation = 0;
  private doneActivation = -1;
  private readonly unsubscribe: () => void;

  constructor(private readonly options: BootstrapUserOptions) {
    this.unsubscribe = options.quorum.onActivation((active) =>
      active ? this.activate() : this.deactivate(),
    );
    if (options.quorum.isActive()) this.activate();
  }

  close(): void {
    this.unsubscribe();
    this.deactivate();
  }

  private activate(): void {
    this.activation++;
    this.attempt();
  }

  private deactivate(): void {
    if (this.retry !== undefined) clearTimeout(this.retry);
    this.retry = undefined;
  }

  private attempt(): void {
    this.retry = undefined;
    const { quorum, credentials, logger } = this.options;
    if (this.running || !quorum.isActive() || this.doneActivation === this.activation) return;
    const activation = this.activation;
    let refused = false;
    this.running = true;
    quorum
      .runCommand((image) => bootstrapScramUser(image, credentials.upsertions))
      .then(
        ({ response }) => {
          this.doneActivation = activation;
          if (!response.created) return;
          auditorFor(logger, undefined).log('scram.bootstrapped', {
            user: credentials.user,
            mechanisms: credentials.upsertions.map((upsertion) => upsertion.mechanism),
            iterations: BOOTSTRAP_SCRAM_ITERATIONS,
          });
        },
        (error: unknown) => {
          // NOT_CONTROLLER or a slow commit: try again. A refused credential is a configuration problem.
          refused = error instanceof TributaryError && !error.retriable;
          if (refused) logger.error({ err: error, user: credentials.user }, 'bootstrap SCRAM user refused');
          else logger.debug({ err: error }, 'bootstrap SCRAM user: attempt failed; retrying');
        },
      )
      .finally(() => {
        this.running = false;
        // Still to do for the activation in force (a new one may have begun while this attempt ran).
        const pending = this.doneActivation !== this.activation;
        if (pending && !refused && quorum.isActive() && this.retry === undefined) {
          this.retry = setTimeout(() => this.attempt(), this.options.retryMs ?? BOOTSTRAP_RETRY_MS);
        }
      });
  }
}
