/* InitProducerId Request (Version: 2) => transactional_id transaction_timeout_ms _tagged_fields
     transactional_id => COMPACT_NULLABLE_STRING
   InitProducerId Response (Version: 2) => throttle_time_ms error_code producer_id producer_epoch _tagged_fields
   Version 2 is the first flexible version (compact strings, tagged fields); the fields are
   version 1's (init-producer-id-v1.ts, as version 0).
*/
import { type ApiVersionCodec, ApiKey, versionCodec } from '../api.ts';
import { compactNullableString, flexStruct, int32 } from '../schema.ts';
import { producerV0 } from './init-producer-id-v0.ts';
import type { InitProducerIdRequest, InitProducerIdResponse } from './types.ts';

export const requestFieldsV2 = {
  transactionalId: compactNullableString,
  transactionTimeoutMs: int32,
};

export const request = flexStruct(requestFieldsV2, { producerId: -1n, producerEpoch: -1 });

export const response = flexStruct(producerV0);

export const initProducerIdV2: ApiVersionCodec<InitProducerIdRequest, InitProducerIdResponse> = versionCodec(ApiKey.InitProducerId, 2, true, request, response);
