// Original file: protos/tributary/v1/group.proto


export interface DescribeGroupRequest {
  'groupId'?: (string);
}

export interface DescribeGroupRequest__Output {
  'groupId': (string);
}
