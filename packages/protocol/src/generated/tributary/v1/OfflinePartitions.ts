// Original file: protos/tributary/v1/controller.proto


export interface OfflinePartitions {
  'topic'?: (string);
  'partitions'?: (number)[];
}

export interface OfflinePartitions__Output {
  'topic': (string);
  'partitions': (number)[];
}
