import { TributaryError } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { topicConfigDefault, topicConfigDefinition, validateTopicConfigs } from './topic-configs.js';

describe('flush.on.ack (issue 16: --durability fsync per topic)', () => {
  it('accepts true and false', () => {
    expect(() => validateTopicConfigs({ 'flush.on.ack': 'true' }, 3)).not.toThrow();
    expect(() => validateTopicConfigs({ 'flush.on.ack': 'false' }, 3)).not.toThrow();
  });

  it.each(['yes', 'TRUE', '1', '', ' true'])('refuses %j with INVALID_CONFIG naming the key', (value) => {
    let caught: unknown;
    try {
      validateTopicConfigs({ 'flush.on.ack': value }, 3);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(TributaryError);
    expect((caught as TributaryError).code).toBe('INVALID_CONFIG');
    expect((caught as TributaryError).message).toContain('flush.on.ack');
    expect((caught as TributaryError).message).toContain('must be one of true, false');
  });

  it('is a boolean defaulting to true (the brokers default to --durability fsync)', () => {
    const definition = topicConfigDefinition('flush.on.ack');
    expect(definition?.type).toBe('boolean');
    expect(definition === undefined ? null : topicConfigDefault(definition, 3)).toBe('true');
  });
});
