/* EndTxn Request (Version: 0) => transactional_id producer_id producer_epoch committed
     transactional_id => STRING
     producer_id => INT64
     producer_epoch => INT16
     committed => BOOLEAN

   EndTxn Response (Version: 0) => throttle_time_ms error_code
     throttle_time_ms => INT32
     error_code => INT16
*/
import { type ApiVersionCodec, ApiKey, versionCodec } from '../api.ts';
import { boolean, int16, int32, int64, string, struct } from '../schema.ts';
import type { EndTxnRequest, EndTxnResponse } from './types.ts';

export const request = struct({
  transactionalId: string,
  producerId: int64,
  producerEpoch: int16,
  committed: boolean,
});

export const response = struct({
  throttleTimeMs: int32,
  errorCode: int16,
});

export const endTxnV0: ApiVersionCodec<EndTxnRequest, EndTxnResponse> = versionCodec(ApiKey.EndTxn, 0, false, request, response);
