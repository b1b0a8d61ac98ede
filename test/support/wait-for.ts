/** Polls `check` until it holds; on timeout the error names `what` and adds `explain()` (process output, say). */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number, explain: () => string = () => ''): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${explain()}`);
}
