// Original file: protos/tributary/v1/common.proto


export interface TopicConfigEntry {
  'name'?: (string);
  'value'?: (string);
}

export interface TopicConfigEntry__Output {
  'name': (string);
  'value': (string);
}
