import type { ConfigSchema } from '../../src/sdk/index.ts';

export type FileSourceEncoding = 'utf-8' | 'latin1';

export interface MultilineConfig {
  /** A line matching this begins a new event; other lines join the event before them. */
  startPattern?: string;
  /** A line matching this joins the event before it; other lines begin a new event. */
  continuationPattern?: string;
  /** An event with no new line for this long is emitted as it is. */
  timeoutMs: number;
  /** Most lines one event holds; the next line begins a new event. */
  maxLines: number;
}

/** The `config` of a file source, as the runtime hands it over (validated, defaults applied). */
export interface FileSourceConfig {
  include: string[];
  exclude: string[];
  readFrom: 'beginning' | 'end';
  encoding: FileSourceEncoding;
  maxLineBytes: number;
  multiline?: MultilineConfig;
  output: 'line' | 'object';
  key: 'none' | 'path' | 'file';
  topic: string;
  fingerprintBytes: number;
  fingerprintLines: number;
  scanIntervalMs: number;
  pollIntervalMs: number;
  closeIdleMs: number;
  maxPollBytes: number;
  maxOpenFiles: number;
}

export const FILE_SOURCE_DEFAULTS = {
  exclude: [],
  readFrom: 'beginning',
  encoding: 'utf-8',
  maxLineBytes: 102_400,
  output: 'line',
  key: 'none',
  topic: '',
  fingerprintBytes: 1024,
  fingerprintLines: 1,
  scanIntervalMs: 1000,
  pollIntervalMs: 100,
  closeIdleMs: 5000,
  maxPollBytes: 262_144,
  maxOpenFiles: 256,
} as const satisfies Omit<FileSourceConfig, 'include' | 'multiline'>;

const pattern = (description: string): ConfigSchema => ({ type: 'string', minLength: 1, description });

export const fileSourceConfigSchema: ConfigSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['include'],
  properties: {
    include: {
      type: 'array',
      items: { type: 'string', minLength: 1 },
      minItems: 1,
      description:
        'Glob patterns of files to tail, e.g. `/var/log/nginx/access.log*`. `*` and `?` stay within a folder, `**` crosses folders, `[abc]` and `{a,b}` work. Relative patterns resolve against the working directory. Match the rotated names too (`app.log*`) so copytruncate rotation loses nothing.',
    },
    exclude: {
      type: 'array',
      items: { type: 'string', minLength: 1 },
      default: FILE_SOURCE_DEFAULTS.exclude,
      description: 'Glob patterns of files to skip even when included, e.g. `*.gz` for compressed rotations.',
    },
    readFrom: {
      type: 'string',
      enum: ['beginning', 'end'],
      default: FILE_SOURCE_DEFAULTS.readFrom,
      description:
        'Where to start files that have no committed position on a fresh start (no file seen has one): `beginning`, or `end` to ship only new lines. Files that appear later, and every file once any position is committed, start at the beginning, so rotation never skips lines.',
    },
    encoding: { type: 'string', enum: ['utf-8', 'latin1'], default: FILE_SOURCE_DEFAULTS.encoding, description: 'Text encoding of the files. Invalid UTF-8 bytes become U+FFFD.' },
    maxLineBytes: {
      type: 'integer',
      minimum: 16,
      default: FILE_SOURCE_DEFAULTS.maxLineBytes,
      description: 'Longest line (or multiline event) kept, in bytes; the rest up to the newline is skipped and the record gets the header `tributary.file.truncated: true`.',
    },
    multiline: {
      type: 'object',
      additionalProperties: false,
      description: 'Join several lines into one event (stack traces). Set exactly one of startPattern and continuationPattern.',
      properties: {
        startPattern: pattern('Regular expression a line must match to begin a new event, e.g. `^\\d{4}-\\d{2}-\\d{2}`; other lines join the event before them.'),
        continuationPattern: pattern('Regular expression of lines that join the event before them, e.g. `^\\s+(at |\\.\\.\\.)`; other lines begin a new event.'),
        timeoutMs: { type: 'integer', minimum: 1, default: 1000, description: 'Emit a pending event once no line has joined it for this long.' },
        maxLines: { type: 'integer', minimum: 1, default: 500, description: 'Most lines in one event; the next line begins a new one.' },
      },
      oneOf: [
        { required: ['startPattern'], properties: { startPattern: true } },
        { required: ['continuationPattern'], properties: { continuationPattern: true } },
      ],
    },
    output: {
      type: 'string',
      enum: ['line', 'object'],
      default: FILE_SOURCE_DEFAULTS.output,
      description: '`line`: the record value is the line text. `object`: `{ message, path, offset, line }` (offset and line where it starts).',
    },
    key: {
      type: 'string',
      enum: ['none', 'path', 'file'],
      default: FILE_SOURCE_DEFAULTS.key,
      description:
        '`none`: null keys. `path`: the file path. `file`: the file fingerprint, which survives rotation, so all lines of one file land in one partition, in order.',
    },
    topic: { type: 'string', default: FILE_SOURCE_DEFAULTS.topic, description: "Destination topic. Empty: the pipeline's topic.name." },
    fingerprintBytes: {
      type: 'integer',
      minimum: 16,
      default: FILE_SOURCE_DEFAULTS.fingerprintBytes,
      description: 'Most bytes of the file start hashed into its fingerprint, the identity that follows it through renames and restarts.',
    },
    fingerprintLines: {
      type: 'integer',
      minimum: 1,
      default: FILE_SOURCE_DEFAULTS.fingerprintLines,
      description: 'Lines hashed into the fingerprint (within fingerprintBytes). Raise it when files begin with the same header line. A file is read once it has this many lines (or fingerprintBytes bytes).',
    },
    scanIntervalMs: { type: 'integer', minimum: 10, default: FILE_SOURCE_DEFAULTS.scanIntervalMs, description: 'How often the globs are listed again for new and rotated files.' },
    pollIntervalMs: { type: 'integer', minimum: 1, default: FILE_SOURCE_DEFAULTS.pollIntervalMs, description: 'How long an idle poll waits before looking for new bytes again.' },
    closeIdleMs: {
      type: 'integer',
      minimum: 0,
      default: FILE_SOURCE_DEFAULTS.closeIdleMs,
      description: 'Close a file that has not grown for this long (its position is kept; a rescan reopens it when it grows). A rotated-away file is read to its end first.',
    },
    maxPollBytes: {
      type: 'integer',
      minimum: 1024,
      default: FILE_SOURCE_DEFAULTS.maxPollBytes,
      description:
        "Size of one poll's records (one source batch, never split across Kafka transactions), counting each line with its key, headers and framing. Keep it well below the broker's message.max.bytes (1 MiB by default).",
    },
    maxOpenFiles: { type: 'integer', minimum: 1, default: FILE_SOURCE_DEFAULTS.maxOpenFiles, description: 'Most files held open at once; the rest wait for an idle one to close.' },
  },
};
