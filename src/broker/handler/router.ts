/**
 * Turns one request frame into one response frame body: parse the header, pick the version's codec,
 * decode, run the handler, encode the header and body. The server owns framing and ordering.
 *
 * Invariant: the handler is invoked synchronously within `route` (decoding does not await), so the
 * order in which `route` is called for a connection is the order handlers start. Produce relies on
 * it to append pipelined batches in order.
 */
import type { Logger } from '../../sdk/logger.ts';
import { ApiKey } from '../protocol/api.ts';
import { apiVersionsV0 } from '../protocol/api-versions/api-versions-v0.ts';
import { ErrorCode } from '../protocol/error-code.ts';
import { ProtocolError } from '../protocol/protocol-error.ts';
import { readRequestHeader, responseHeaderIsFlexible, writeResponseHeader } from '../protocol/header.ts';
import { Reader } from '../protocol/reader.ts';
import { Writer } from '../protocol/writer.ts';
import { advertisedVersions, type ApiTable } from './api-table.ts';
import type { RequestContext } from './context.ts';

export interface ConnectionInfo {
  clientHost: string;
  signal: AbortSignal;
}

/** A routed request: null when the protocol sends no response (acks=0 produce). */
export type RouteResult = Promise<Buffer[] | null>;

export class RequestRouter {
  constructor(
    private readonly table: ApiTable,
    private readonly logger: Logger,
  ) {}

  /**
   * Throws ProtocolError (synchronously or through the promise) for a frame that cannot be parsed or
   * asks for an API version this broker does not serve; the server closes that connection.
   */
  route(frame: Buffer, conn: ConnectionInfo): RouteResult {
    const r = new Reader(frame);
    const header = readRequestHeader(r);
    const entry = this.table.get(header.apiKey);
    const codec = entry?.codec(header.apiVersion);
    // Throws (closing the connection) for everything but ApiVersions; see unsupported().
    if (!entry || !codec) return Promise.resolve(this.unsupported(header.apiKey, header.apiVersion, header.correlationId, header.clientId));
    if (codec.flexible) r.skipTaggedFields();
    const request = codec.decodeRequest(r);
    if (r.remaining > 0) {
      this.logger.debug({ apiKey: header.apiKey, apiVersion: header.apiVersion, trailing: r.remaining }, 'request has trailing bytes; ignoring them');
    }
    const ctx: RequestContext = { apiVersion: header.apiVersion, clientId: header.clientId, clientHost: conn.clientHost, signal: conn.signal };
    const pending = Promise.resolve(entry.handle(request, ctx));
    return pending.then((response) => {
      if (response === null) return null;
      const w = new Writer();
      writeResponseHeader(w, header.correlationId, responseHeaderIsFlexible(header.apiKey, codec.flexible));
      codec.encodeResponse(w, response);
      return w.toChunks();
    });
  }

  /**
   * An API key or version this broker does not implement, answered as Apache Kafka answers it:
   * - ApiVersions (KIP-511): a v0-format response with UNSUPPORTED_VERSION and the ApiVersions range
   *   alone, so the client retries with a version both sides know.
   * - Anything else has no response layout to answer in (the version's fields are unknown), so the
   *   connection is closed with a logged reason, as Kafka does. A client that negotiated versions
   *   through ApiVersions never gets here.
   */
  private unsupported(apiKey: number, apiVersion: number, correlationId: number, clientId: string | null): Buffer[] {
    if (apiKey !== ApiKey.ApiVersions) {
      throw new ProtocolError(`API key ${apiKey} version ${apiVersion} is not supported (client ${clientId ?? 'unnamed'}); like Kafka, the connection is closed`, 'unsupported');
    }
    this.logger.warn({ apiKey, apiVersion, clientId }, 'unsupported ApiVersions version; answering UNSUPPORTED_VERSION in v0 form');
    const own = advertisedVersions(this.table).filter((v) => v.apiKey === ApiKey.ApiVersions);
    const w = new Writer();
    writeResponseHeader(w, correlationId, false);
    apiVersionsV0.encodeResponse(w, { errorCode: ErrorCode.UNSUPPORTED_VERSION, apiKeys: own, throttleTimeMs: 0 });
    return w.toChunks();
  }
}
