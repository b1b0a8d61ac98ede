import { constants, createHash, publicEncrypt } from 'node:crypto';

/** Authentication plugins this client speaks; others fail with a message naming the plugin. */
export const NATIVE_PASSWORD = 'mysql_native_password';
export const CACHING_SHA2_PASSWORD = 'caching_sha2_password';

function sha1(...parts: Buffer[]): Buffer {
  const h = createHash('sha1');
  for (const p of parts) h.update(p);
  return h.digest();
}

function sha256(...parts: Buffer[]): Buffer {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
}

function xor(a: Buffer, b: Buffer): Buffer {
  const out = Buffer.alloc(a.length);
  for (let i = 0; i < a.length; i++) out[i] = (a[i] as number) ^ (b[i % b.length] as number);
  return out;
}

/** The server's 20-byte nonce; the handshake may carry a trailing NUL that is not part of it. */
export function trimScramble(data: Buffer): Buffer {
  return data.length > 20 && data[data.length - 1] === 0 ? data.subarray(0, data.length - 1) : data;
}

/** mysql_native_password: SHA1(password) XOR SHA1(nonce + SHA1(SHA1(password))). Empty password: empty. */
export function nativePasswordResponse(password: string, nonce: Buffer): Buffer {
  if (password === '') return Buffer.alloc(0);
  const stage1 = sha1(Buffer.from(password, 'utf8'));
  return xor(stage1, sha1(nonce, sha1(stage1)));
}

/** caching_sha2_password fast path: SHA256(password) XOR SHA256(SHA256(SHA256(password)) + nonce). */
export function cachingSha2Response(password: string, nonce: Buffer): Buffer {
  if (password === '') return Buffer.alloc(0);
  const stage1 = sha256(Buffer.from(password, 'utf8'));
  return xor(stage1, sha256(sha256(stage1), nonce));
}

/** caching_sha2_password full authentication over plain TCP: the password, NUL-terminated, XOR nonce, RSA-OAEP. */
export function rsaEncryptedPassword(password: string, nonce: Buffer, publicKeyPem: string): Buffer {
  const clear = Buffer.concat([Buffer.from(password, 'utf8'), Buffer.from([0])]);
  return publicEncrypt({ key: publicKeyPem, padding: constants.RSA_PKCS1_OAEP_PADDING }, xor(clear, nonce));
}

export function authResponse(plugin: string, password: string, nonce: Buffer): Buffer {
  if (plugin === NATIVE_PASSWORD) return nativePasswordResponse(password, nonce);
  if (plugin === CACHING_SHA2_PASSWORD) return cachingSha2Response(password, nonce);
  throw new Error(`the server asks for authentication plugin "${plugin}", which this client does not support (use ${NATIVE_PASSWORD} or ${CACHING_SHA2_PASSWORD} for the replication user)`);
}
