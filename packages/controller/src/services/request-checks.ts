/** Field checks shared by the ControllerAdmin handlers. */
import { TributaryError, validateTopicName } from '@tributary/core';

/** A valid topic name, or the topic-name check's error with the request field named first. */
export function requireTopicName(name: string, field: string): string {
  try {
    validateTopicName(name);
  } catch (error) {
    if (error instanceof TributaryError) throw new TributaryError(error.code, `${field}: ${error.message}`);
    throw error;
  }
  return name;
}
