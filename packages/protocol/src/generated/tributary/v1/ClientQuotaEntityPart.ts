// Original file: protos/tributary/v1/controller.proto


/**
 * One part of a client quota entity: a name, or the default (Kafka's <default>).
 */
export interface ClientQuotaEntityPart {
  'name'?: (string);
  'isDefault'?: (boolean);
}

/**
 * One part of a client quota entity: a name, or the default (Kafka's <default>).
 */
export interface ClientQuotaEntityPart__Output {
  'name': (string);
  'isDefault': (boolean);
}
