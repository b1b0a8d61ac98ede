/**
 * The logging contract plugins receive. It is pino-shaped (`logger.info({ field }, 'message')`) so the
 * runtime can pass a pino child logger straight through; tests can pass {@link silentLogger}.
 * Invariant: values from config fields marked `secret` never reach a logger (the runtime redacts them).
 */
export interface Logger {
  trace(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

const noop = (): void => {};

export const silentLogger: Logger = {
  trace: noop,
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
  child: () => silentLogger,
};
