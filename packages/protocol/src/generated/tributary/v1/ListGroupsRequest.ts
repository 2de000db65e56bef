// Original file: protos/tributary/v1/group.proto


export interface ListGroupsRequest {
}

export interface ListGroupsRequest__Output {
}
