/**
 * SCRAM credential administration (KIP-554): DescribeUserScramCredentials (50) and
 * AlterUserScramCredentials (51), v0 only, flexible. Mechanisms are Kafka's ScramMechanism codes
 * (1 SCRAM-SHA-256, 2 SCRAM-SHA-512). The client sends the salted password, never the password; the
 * answer never carries salts or keys.
 */
import { defineApi } from '../api.js';
import { field, nullable, struct } from '../schema.js';
import { array, bytes, int8, int16, int32, string } from '../wire-type.js';

export const DescribeUserScramCredentials = defineApi({
  key: 50,
  name: 'DescribeUserScramCredentials',
  versions: '0',
  flexible: '0+',
  request: {
    // null: every user.
    users: nullable(array(struct({ name: field(string, '0+') })), '0+', '0+'),
  },
  response: {
    throttleTimeMs: field(int32, '0+'),
    errorCode: field(int16, '0+'),
    errorMessage: nullable(string, '0+', '0+'),
    results: field(
      array(
        struct({
          user: field(string, '0+'),
          errorCode: field(int16, '0+'),
          errorMessage: nullable(string, '0+', '0+'),
          credentialInfos: field(
            array(struct({ mechanism: field(int8, '0+'), iterations: field(int32, '0+') })),
            '0+',
          ),
        }),
      ),
      '0+',
    ),
  },
});

export const AlterUserScramCredentials = defineApi({
  key: 51,
  name: 'AlterUserScramCredentials',
  versions: '0',
  flexible: '0+',
  request: {
    deletions: field(array(struct({ name: field(string, '0+'), mechanism: field(int8, '0+') })), '0+'),
    upsertions: field(
      array(
        struct({
          name: field(string, '0+'),
          mechanism: field(int8, '0+'),
          iterations: field(int32, '0+'),
          salt: field(bytes, '0+'),
          saltedPassword: field(bytes, '0+'),
        }),
      ),
      '0+',
    ),
  },
  response: {
    throttleTimeMs: field(int32, '0+'),
    results: field(
      array(
        struct({
          user: field(string, '0+'),
          errorCode: field(int16, '0+'),
          errorMessage: nullable(string, '0+', '0+'),
        }),
      ),
      '0+',
    ),
  },
});
