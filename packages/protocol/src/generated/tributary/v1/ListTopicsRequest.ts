// Original file: protos/tributary/v1/controller.proto


export interface ListTopicsRequest {
}

export interface ListTopicsRequest__Output {
}
