import { describe, expect, it } from 'vitest';
import { formatPath, formatPipelineError, pipelineErrorsToError, type PipelineError } from '../../src/pipeline/error.ts';

const base: PipelineError = { file: 'pipelines/x.yaml', line: 12, column: 7, path: 'sinks[0].config.url', message: 'must be a string', code: 'CONFIG_INVALID' };

describe('pipeline errors', () => {
  it('format as file:line:column: path: message, leaving out what is absent', () => {
    expect(formatPipelineError(base)).toBe('pipelines/x.yaml:12:7: sinks[0].config.url: must be a string');
    expect(formatPipelineError({ ...base, path: '' })).toBe('pipelines/x.yaml:12:7: must be a string');
    expect(formatPipelineError({ ...base, line: 0, column: 0, path: '' })).toBe('pipelines/x.yaml: must be a string');
  });

  it('paths index arrays and quote keys that are not plain names', () => {
    expect(formatPath(['sinks', 0, 'config', 'url'])).toBe('sinks[0].config.url');
    expect(formatPath(['topic', 'configs', 'retention.ms'])).toBe('topic.configs["retention.ms"]');
    expect(formatPath([])).toBe('');
  });

  it('become one TributaryError listing them all, coded after the first', () => {
    const err = pipelineErrorsToError([base, { ...base, line: 14, path: 'name', message: 'x', code: 'PLUGIN_NOT_FOUND' }]);
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.message).toBe('loading pipeline: 2 problems:\npipelines/x.yaml:12:7: sinks[0].config.url: must be a string\npipelines/x.yaml:14:7: name: x');
  });
});
