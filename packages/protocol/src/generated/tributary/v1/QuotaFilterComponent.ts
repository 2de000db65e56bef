// Original file: protos/tributary/v1/controller.proto


export interface QuotaFilterComponent {
  /**
   * user | client-id
   */
  'entityType'?: (string);
  /**
   * exact (the name below) | default | any (any name, the default included): Kafka's match types.
   */
  'match'?: (string);
  'name'?: (string);
}

export interface QuotaFilterComponent__Output {
  /**
   * user | client-id
   */
  'entityType': (string);
  /**
   * exact (the name below) | default | any (any name, the default included): Kafka's match types.
   */
  'match': (string);
  'name': (string);
}
