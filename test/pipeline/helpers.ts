import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatPipelineError } from '../../src/pipeline/error.ts';
import { loadPipelineFile, type LoadResult } from '../../src/pipeline/load.ts';
import type { Env } from '../../src/pipeline/env.ts';
import { createFixtureRegistry } from '../fixtures/plugins/fixture-registry.ts';

/** A fixture's path as the user would type it (relative to the working directory), so messages stay short. */
export function fixture(name: string): string {
  return relative(process.cwd(), fileURLToPath(new URL(`../fixtures/pipelines/${name}`, import.meta.url)));
}

/** Loads a fixture against a fresh fixture registry and the given environment (never process.env). */
export async function loadFixture(name: string, env: Env = {}): Promise<LoadResult & { file: string; lines: string[] }> {
  const file = fixture(name);
  const result = await loadPipelineFile(file, { env, registry: createFixtureRegistry() });
  return { ...result, file, lines: result.errors.map(formatPipelineError) };
}
