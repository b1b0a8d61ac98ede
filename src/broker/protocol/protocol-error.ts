/**
 * A request the broker will not serve: one it cannot parse (truncated, a length that points past the
 * frame, an invalid varint) or one for an API key or version it does not implement. The server
 * answers it by closing that one connection (for a malformed frame the stream position is no longer
 * trustworthy; for an unsupported version there is no response layout to answer in) and logging the
 * reason; it never reaches a handler.
 */
export class ProtocolError extends Error {
  constructor(
    message: string,
    readonly kind: 'malformed' | 'unsupported' = 'malformed',
  ) {
    super(message);
    this.name = 'ProtocolError';
  }
}
