/**
 * Every bound of the Kafka codec, defined once (STYLE: "put a limit on everything"). The listener and
 * the tests import these; nothing else repeats the numbers.
 */
export const KAFKA_LIMITS = {
  /** Kafka's socket.request.max.bytes default: the largest request frame a broker reads (100 MiB). */
  requestBytesMax: 100 * 1024 * 1024,
  /**
   * The most elements one array may claim. A count is also checked against the bytes left in the
   * frame (every element takes at least one byte), so a 10-byte frame cannot ask for a billion
   * elements; this cap bounds the objects a 100 MiB frame can make a decoder allocate.
   */
  arrayElementsMax: 1_048_576,
  /** The most tagged fields one struct may carry (KIP-482 puts no bound; unknown tags are skipped). */
  taggedFieldsMax: 1_024,
  /** Nesting depth of structs and arrays in any definition (a guard against a recursive definition). */
  nestingDepthMax: 16,
} as const;
