// Original file: protos/tributary/v1/controller.proto


export interface DescribeUserScramCredentialsRequest {
  /**
   * Empty: every user.
   */
  'users'?: (string)[];
}

export interface DescribeUserScramCredentialsRequest__Output {
  /**
   * Empty: every user.
   */
  'users': (string)[];
}
