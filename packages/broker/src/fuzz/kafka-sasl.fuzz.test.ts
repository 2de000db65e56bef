/**
 * Fuzzing the Kafka listener's SASL path (issue 13: "garbage, truncated and replayed exchanges: errors, never
 * a crash, never access"). A listener that requires authentication gets random sequences of SaslHandshake,
 * SaslAuthenticate (random, truncated or mutated SCRAM messages) and a probe request; whatever happens, the
 * connection is answered or closed within a bound, the probe never runs as alice without her password, and
 * the listener keeps serving a correct client. A client-final replayed under a new server nonce always
 * fails. FUZZ_SEED replays, FUZZ_RUNS scales up.
 */
import { randomBytes } from 'node:crypto';
import { SaslAuthenticate } from '@tributary/kafka-protocol';
import { SCRAM_SUITES, ScramClient, scramNonceFromBytes } from '@tributary/security';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawKafkaClient } from '../kafka/testing/raw-client.js';
import {
  handshake,
  PASSWORD,
  type SaslListener,
  scram,
  startSaslListener,
  USER,
  whoAmI,
} from '../kafka/testing/sasl-fixture.js';

const NUM_RUNS = Number(process.env.FUZZ_RUNS ?? 40);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const STEP_DEADLINE_MS = 3_000;

let sasl: SaslListener;

beforeAll(async () => {
  sasl = await startSaslListener({ required: true });
});
afterAll(async () => {
  await sasl.listener.close();
});

/** A valid client-first and client-final for alice over SCRAM-SHA-256, made against a real exchange. */
async function validMessages(): Promise<{ first: Buffer; final: Buffer }> {
  const client = await RawKafkaClient.connect(sasl.listener.port);
  try {
    await handshake(client, 'SCRAM-SHA-256');
    const scramClient = new ScramClient({
      suite: SCRAM_SUITES['SCRAM-SHA-256'],
      username: USER,
      password: PASSWORD,
      clientNonce: scramNonceFromBytes(randomBytes(18)),
    });
    const first = Buffer.from(scramClient.first());
    const challenge = await client.request(SaslAuthenticate, 2, { authBytes: first });
    const final = scramClient.receiveServerFirst(challenge.authBytes);
    if (!final.ok) throw new Error(final.failure.detail);
    return { first, final: Buffer.from(final.message) };
  } finally {
    client.close();
  }
}

type Step =
  | { readonly kind: 'handshake'; readonly mechanism: string }
  | { readonly kind: 'authenticate'; readonly bytes: Buffer }
  | { readonly kind: 'probe' };

function stepArbitrary(messages: { first: Buffer; final: Buffer }): fc.Arbitrary<Step> {
  const mutate = (base: Buffer) =>
    fc.oneof(
      fc.nat({ max: base.length }).map((n) => base.subarray(0, n)),
      fc.tuple(fc.nat({ max: base.length - 1 }), fc.integer({ min: 1, max: 255 })).map(([at, xor]) => {
        const copy = Buffer.from(base);
        copy[at] = (copy[at] ?? 0) ^ xor;
        return copy;
      }),
      fc.constant(base),
    );
  return fc.oneof(
    fc
      .constantFrom('SCRAM-SHA-256', 'SCRAM-SHA-512', 'PLAIN', 'GSSAPI', '', 'scram-sha-256')
      .map((mechanism): Step => ({ kind: 'handshake', mechanism })),
    fc
      .oneof(
        fc.uint8Array({ maxLength: 600 }).map((b) => Buffer.from(b)),
        mutate(messages.first),
        mutate(messages.final),
        fc.string({ maxLength: 200 }).map((s) => Buffer.from(s)),
      )
      .map((bytes): Step => ({ kind: 'authenticate', bytes })),
    fc.constant<Step>({ kind: 'probe' }),
  );
}

/** Runs the steps; returns the principals the probe answered with (until the connection closed). */
async function run(steps: readonly Step[]): Promise<string[]> {
  const client = await RawKafkaClient.connect(sasl.listener.port);
  const seen: string[] = [];
  try {
    for (const step of steps) {
      if (client.closed) break;
      try {
        if (step.kind === 'handshake') await handshake(client, step.mechanism);
        else if (step.kind === 'authenticate')
          await client.request(SaslAuthenticate, 2, { authBytes: step.bytes });
        else seen.push(await whoAmI(client));
      } catch {
        // Closed by the broker (an error, or a request before authentication): the case ends here.
        await client.waitClosed(STEP_DEADLINE_MS);
        break;
      }
    }
  } finally {
    client.close();
  }
  return seen;
}

describe('fuzzing SASL on the Kafka listener', () => {
  it('random, truncated and mutated exchanges never authenticate and never stop the listener', async () => {
    const messages = await validMessages();
    await fc.assert(
      fc.asyncProperty(fc.array(stepArbitrary(messages), { minLength: 1, maxLength: 8 }), async (steps) => {
        const seen = await run(steps);
        // A mutated first + a final made for another exchange can never prove alice's password.
        for (const principal of seen) expect(principal).not.toBe(`User:${USER}|scram`);
      }),
      { numRuns: NUM_RUNS, ...(SEED === undefined ? {} : { seed: SEED }) },
    );
    const honest = await RawKafkaClient.connect(sasl.listener.port);
    try {
      expect((await scram(honest, { mechanism: 'SCRAM-SHA-512' })).errorCode).toBe(0);
      expect(await whoAmI(honest)).toBe(`User:${USER}|scram`);
    } finally {
      honest.close();
    }
  }, 120_000);

  it('a client-final replayed under a new server nonce fails', async () => {
    for (let i = 0; i < 5; i++) {
      const { first, final } = await validMessages();
      const client = await RawKafkaClient.connect(sasl.listener.port);
      try {
        expect(await handshake(client, 'SCRAM-SHA-256')).toBe(0);
        const challenge = await client.request(SaslAuthenticate, 2, { authBytes: first });
        expect(challenge.errorCode).toBe(0);
        const replayed = await client.request(SaslAuthenticate, 2, { authBytes: final });
        expect(replayed.errorCode).toBe(58);
        await client.waitClosed();
      } finally {
        client.close();
      }
    }
    expect(sasl.counts.failed.filter((f) => f === 'SCRAM-SHA-256:nonce-mismatch')).toHaveLength(5);
  });
});
