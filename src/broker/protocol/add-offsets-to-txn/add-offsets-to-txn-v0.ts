/* AddOffsetsToTxn Request (Version: 0) => transactional_id producer_id producer_epoch group_id
     transactional_id => STRING
     producer_id => INT64
     producer_epoch => INT16
     group_id => STRING

   AddOffsetsToTxn Response (Version: 0) => throttle_time_ms error_code
     throttle_time_ms => INT32
     error_code => INT16
*/
import { type ApiVersionCodec, ApiKey, versionCodec } from '../api.ts';
import { int16, int32, int64, string, struct } from '../schema.ts';
import type { AddOffsetsToTxnRequest, AddOffsetsToTxnResponse } from './types.ts';

export const request = struct({
  transactionalId: string,
  producerId: int64,
  producerEpoch: int16,
  groupId: string,
});

export const response = struct({
  throttleTimeMs: int32,
  errorCode: int16,
});

export const addOffsetsToTxnV0: ApiVersionCodec<AddOffsetsToTxnRequest, AddOffsetsToTxnResponse> = versionCodec(ApiKey.AddOffsetsToTxn, 0, false, request, response);
