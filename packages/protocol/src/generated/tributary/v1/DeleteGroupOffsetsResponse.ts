// Original file: protos/tributary/v1/group.proto


export interface DeleteGroupOffsetsResponse {
  'errorCode'?: (string);
  'errorMessage'?: (string);
  'deleted'?: (number);
}

export interface DeleteGroupOffsetsResponse__Output {
  'errorCode': (string);
  'errorMessage': (string);
  'deleted': (number);
}
