/**
 * The registry vocabulary: API keys, and the codec one API version contributes. A version's codec
 * decodes the request body into the API's canonical request type (fields this version lacks carry
 * Kafka's defaults) and encodes the canonical response type, writing only the fields this version has.
 */
import type { Reader } from './reader.ts';
import type { Layout } from './schema.ts';
import type { Writer } from './writer.ts';

export const ApiKey = {
  Produce: 0,
  Fetch: 1,
  ListOffsets: 2,
  Metadata: 3,
  OffsetCommit: 8,
  OffsetFetch: 9,
  FindCoordinator: 10,
  JoinGroup: 11,
  Heartbeat: 12,
  LeaveGroup: 13,
  SyncGroup: 14,
  DescribeGroups: 15,
  ListGroups: 16,
  ApiVersions: 18,
  CreateTopics: 19,
  DeleteTopics: 20,
  InitProducerId: 22,
  AddPartitionsToTxn: 24,
  AddOffsetsToTxn: 25,
  EndTxn: 26,
  TxnOffsetCommit: 28,
  DescribeConfigs: 32,
} as const;

export type ApiKeyNumber = (typeof ApiKey)[keyof typeof ApiKey];

export interface ApiVersionCodec<Req, Res> {
  readonly apiKey: number;
  readonly version: number;
  /** Flexible versions use request header v2 and (except ApiVersions) response header v1. */
  readonly flexible: boolean;
  readonly decodeRequest: (r: Reader) => Req;
  readonly encodeResponse: (w: Writer, res: Res) => void;
}

/**
 * A version's codec from its request and response layouts. Declaring the result as
 * `ApiVersionCodec<CanonicalRequest, CanonicalResponse>` makes the compiler check both directions:
 * the layout's decoded request must be a complete canonical request (covariant result), and every
 * canonical response must be encodable by the layout (contravariant parameter).
 */
export function versionCodec<ReqWire, ResWire>(
  apiKey: number,
  version: number,
  flexible: boolean,
  request: Layout<ReqWire, never>,
  response: Layout<unknown, ResWire>,
): ApiVersionCodec<ReqWire, ResWire> {
  return { apiKey, version, flexible, decodeRequest: request.read, encodeResponse: response.write };
}

/**
 * A version whose wire format is an earlier version's, byte for byte. Kafka bumps a version for more
 * than layout changes (a new error code, responses sent before throttling); the version file then
 * says what changed and reuses the earlier layouts under its own version number.
 */
export function sameWireAs<Req, Res>(earlier: ApiVersionCodec<Req, Res>, version: number): ApiVersionCodec<Req, Res> {
  return { ...earlier, version };
}
