#!/usr/bin/env node
// Entry shim for the `tributary` bin: registers the TypeScript loader so the CLI runs straight from
// src/ after `npm ci`, with no build step to forget.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
