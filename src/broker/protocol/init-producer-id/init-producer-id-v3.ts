/* InitProducerId Request (Version: 3) => transactional_id transaction_timeout_ms producer_id producer_epoch _tagged_fields
     producer_id => INT64
     producer_epoch => INT16
   InitProducerId Response (Version: 3) => throttle_time_ms error_code producer_id producer_epoch _tagged_fields
   Version 3 lets a producer name its current id and epoch, to get a bumped epoch instead of a new
   id after an abortable error (KIP-360); the rest is version 2's (init-producer-id-v2.ts).
*/
import { type ApiVersionCodec, ApiKey, versionCodec } from '../api.ts';
import { flexStruct, int16, int64 } from '../schema.ts';
import { requestFieldsV2, response } from './init-producer-id-v2.ts';
import type { InitProducerIdRequest, InitProducerIdResponse } from './types.ts';

export { response };

export const request = flexStruct({
  ...requestFieldsV2,
  producerId: int64,
  producerEpoch: int16,
});

export const initProducerIdV3: ApiVersionCodec<InitProducerIdRequest, InitProducerIdResponse> = versionCodec(ApiKey.InitProducerId, 3, true, request, response);
