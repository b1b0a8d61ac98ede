#!/usr/bin/env node
// Entry shim for the `tributary` bin: registers the TypeScript loader so the CLI runs straight from
// src/ after `npm ci`, with no build step to forget.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
const code = await main(process.argv.slice(2));
process.exitCode = code;
// Every command has finished its work and its clean shutdown by now. Whatever a failed client left
// behind (a reconnect timer, a half-open socket) must not keep a finished process alive, or a
// supervisor never sees it stop: exit once the event loop has had a moment to drain by itself.
setTimeout(() => process.exit(code), 2_000).unref();
