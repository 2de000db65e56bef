import { TributaryError } from './errors.js';
import { LIMITS } from './limits.js';

const LEGAL_TOPIC_NAME = /^[a-zA-Z0-9._-]+$/;

/** Checks a topic name the way Kafka does; throws INVALID_TOPIC naming the problem. */
export function validateTopicName(name: string): void {
  if (name.length === 0) throw new TributaryError('INVALID_TOPIC', 'topic name is empty');
  if (name === '.' || name === '..') {
    throw new TributaryError('INVALID_TOPIC', `topic name cannot be "${name}"`);
  }
  if (name.length > LIMITS.topicNameLengthMax) {
    throw new TributaryError(
      'INVALID_TOPIC',
      `topic name is ${name.length} characters; the limit is ${LIMITS.topicNameLengthMax}`,
    );
  }
  if (!LEGAL_TOPIC_NAME.test(name)) {
    throw new TributaryError(
      'INVALID_TOPIC',
      `topic name "${name}" may contain only ASCII letters, digits, '.', '_' and '-'`,
    );
  }
}
