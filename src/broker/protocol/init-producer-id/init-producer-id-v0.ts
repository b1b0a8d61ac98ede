/* InitProducerId Request (Version: 0) => transactional_id transaction_timeout_ms
     transactional_id => NULLABLE_STRING
     transaction_timeout_ms => INT32

   InitProducerId Response (Version: 0) => throttle_time_ms error_code producer_id producer_epoch
     throttle_time_ms => INT32
     error_code => INT16
     producer_id => INT64
     producer_epoch => INT16
*/
import { type ApiVersionCodec, ApiKey, versionCodec } from '../api.ts';
import { int16, int32, int64, nullableString, struct } from '../schema.ts';
import type { InitProducerIdRequest, InitProducerIdResponse } from './types.ts';

/** The response fields of every version up to 4; the flexible versions wrap them with tagged fields. */
export const producerV0 = {
  throttleTimeMs: int32,
  errorCode: int16,
  producerId: int64,
  producerEpoch: int16,
};

export const request = struct({
  transactionalId: nullableString,
  transactionTimeoutMs: int32,
}, { producerId: -1n, producerEpoch: -1 });

export const response = struct(producerV0);

export const initProducerIdV0: ApiVersionCodec<InitProducerIdRequest, InitProducerIdResponse> = versionCodec(ApiKey.InitProducerId, 0, false, request, response);
