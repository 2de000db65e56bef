// Original file: protos/tributary/v1/controller.proto


export interface QuotaValue {
  'key'?: (string);
  'value'?: (number | string);
}

export interface QuotaValue__Output {
  'key': (string);
  'value': (number);
}
