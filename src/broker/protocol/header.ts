/*
   Request Header v1 => request_api_key request_api_version correlation_id client_id
     request_api_key => INT16
     request_api_version => INT16
     correlation_id => INT32
     client_id => NULLABLE_STRING
   Request Header v2 => request_api_key request_api_version correlation_id client_id _tagged_fields
   Response Header v0 => correlation_id
     correlation_id => INT32
   Response Header v1 => correlation_id _tagged_fields
*/
import type { Reader } from './reader.ts';
import type { Writer } from './writer.ts';
import { ApiKey } from './api.ts';

export interface RequestHeader {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  clientId: string | null;
}

/**
 * Reads the fields shared by request headers v1 and v2. A v2 header (flexible request versions) is
 * followed by a tagged-field section the caller skips once it knows the version is flexible: the
 * header alone does not say which version of the header it is.
 */
export function readRequestHeader(r: Reader): RequestHeader {
  const apiKey = r.int16();
  const apiVersion = r.int16();
  const correlationId = r.int32();
  const clientId = r.nullableString();
  return { apiKey, apiVersion, correlationId, clientId };
}

export function writeRequestHeader(w: Writer, h: RequestHeader, flexible: boolean): void {
  w.int16(h.apiKey).int16(h.apiVersion).int32(h.correlationId).nullableString(h.clientId);
  if (flexible) w.emptyTaggedFields();
}

/**
 * Flexible responses use header v1, except ApiVersions: clients parse its response before they know
 * what the broker supports, so it always uses header v0 (KIP-511).
 */
export function responseHeaderIsFlexible(apiKey: number, bodyIsFlexible: boolean): boolean {
  return bodyIsFlexible && apiKey !== ApiKey.ApiVersions;
}

export function writeResponseHeader(w: Writer, correlationId: number, flexible: boolean): void {
  w.int32(correlationId);
  if (flexible) w.emptyTaggedFields();
}
