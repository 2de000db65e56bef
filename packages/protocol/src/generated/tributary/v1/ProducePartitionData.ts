// Original file: protos/tributary/v1/broker.proto


export interface ProducePartitionData {
  'partition'?: (number);
  /**
   * One or more concatenated RecordBatch v2 batches.
   */
  'records'?: (Buffer | Uint8Array | string);
}

export interface ProducePartitionData__Output {
  'partition': (number);
  /**
   * One or more concatenated RecordBatch v2 batches.
   */
  'records': (Buffer);
}
