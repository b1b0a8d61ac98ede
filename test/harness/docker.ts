import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where a Docker engine was found answering, or why none was. */
export type DockerProbe = { reachable: true; endpoint: string } | { reachable: false; reason: string };

/**
 * Looks for a Docker engine that answers `GET /_ping`, the same check the docker CLI makes.
 * A socket file existing is not enough: a stopped Docker Desktop leaves its socket behind, and
 * testcontainers would then fail minutes later with a far less helpful error.
 *
 * DOCKER_HOST, when set, is the only endpoint tried (it is the user's explicit choice). Otherwise the
 * usual socket paths: system, rootless, Docker Desktop.
 */
export async function probeDocker(env: NodeJS.ProcessEnv, timeoutMs = 2_000): Promise<DockerProbe> {
  const candidates: string[] = [];
  if (env.DOCKER_HOST) {
    candidates.push(env.DOCKER_HOST);
  } else {
    const sockets = ['/var/run/docker.sock', join(homedir(), '.docker', 'run', 'docker.sock')];
    if (env.XDG_RUNTIME_DIR) sockets.push(join(env.XDG_RUNTIME_DIR, 'docker.sock'));
    for (const path of sockets) if (existsSync(path)) candidates.push(`unix://${path}`);
  }
  if (candidates.length === 0) return { reachable: false, reason: 'DOCKER_HOST is not set and no Docker socket exists' };

  const failures: string[] = [];
  for (const endpoint of candidates) {
    const failure = await ping(endpoint, env.DOCKER_TLS_VERIFY === '1', timeoutMs);
    if (failure === undefined) return { reachable: true, endpoint };
    failures.push(`${endpoint}: ${failure}`);
  }
  return { reachable: false, reason: `no Docker engine answered (${failures.join('; ')})` };
}

/** Resolves undefined when the engine answered, else a reason. Never rejects. */
function ping(endpoint: string, tls: boolean, timeoutMs: number): Promise<string | undefined> {
  let target: { socketPath: string } | { host: string; port: number };
  try {
    const url = new URL(endpoint);
    if (url.protocol === 'unix:') target = { socketPath: url.pathname };
    else if (url.protocol === 'tcp:' || url.protocol === 'http:') target = { host: url.hostname, port: Number(url.port || 2375) };
    else return Promise.resolve(`unsupported DOCKER_HOST scheme ${url.protocol}`);
  } catch {
    return Promise.resolve('not a URL');
  }
  return new Promise((resolve) => {
    const req = request({ ...target, path: '/_ping', method: 'GET', timeout: timeoutMs }, (res) => {
      res.resume();
      // A TLS-only engine answers plain HTTP with 400; it is there, and testcontainers speaks TLS to it.
      if (res.statusCode === 200 || (tls && res.statusCode === 400)) resolve(undefined);
      else resolve(`answered HTTP ${res.statusCode ?? '?'}`);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (err) => resolve(err.message));
    req.end();
  });
}
