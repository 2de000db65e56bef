// Original file: protos/tributary/v1/controller.proto


export interface ScramCredentialInfo {
  'mechanism'?: (string);
  'iterations'?: (number);
}

export interface ScramCredentialInfo__Output {
  'mechanism': (string);
  'iterations': (number);
}
