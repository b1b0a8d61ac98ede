import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { PacketChannel } from '../../../connectors/mysql-binlog/wire/packet-channel.ts';

/** Just enough of a socket: data in by `feed`, data out collected, pause state visible. */
class FakeSocket extends EventEmitter {
  written: Buffer[] = [];
  paused = false;
  write(b: Buffer): boolean {
    this.written.push(b);
    return true;
  }
  pause(): this {
    this.paused = true;
    return this;
  }
  resume(): this {
    this.paused = false;
    return this;
  }
  destroy(): void {
    this.emit('close');
  }
  feed(b: Buffer): void {
    this.emit('data', b);
  }
}

function frame(payload: Buffer, seq: number): Buffer {
  const h = Buffer.alloc(4);
  h.writeUIntLE(payload.length, 0, 3);
  h[3] = seq;
  return Buffer.concat([h, payload]);
}

describe('MySQL packet framing', () => {
  it('reassembles packets split across TCP reads and delivers several from one read', async () => {
    const s = new FakeSocket();
    const ch = new PacketChannel(s as unknown as Socket, { highWaterBytes: 1 << 20 });
    const bytes = Buffer.concat([frame(Buffer.from('hello'), 0), frame(Buffer.from('world!'), 1), frame(Buffer.alloc(0), 2)]);
    for (let i = 0; i < bytes.length; i += 3) s.feed(bytes.subarray(i, i + 3));
    expect((await ch.read()).toString()).toBe('hello');
    expect((await ch.read()).toString()).toBe('world!');
    expect((await ch.read()).length).toBe(0);
  });

  it('joins a payload continued past 16 MB, and splits one when writing', async () => {
    const s = new FakeSocket();
    const ch = new PacketChannel(s as unknown as Socket, { highWaterBytes: 1 << 26 });
    const big = Buffer.alloc(0xffffff + 10, 7);
    s.feed(Buffer.concat([frame(big.subarray(0, 0xffffff), 0), frame(big.subarray(0xffffff), 1)]));
    const got = await ch.read();
    expect(got.length).toBe(big.length);
    expect(got.equals(big)).toBe(true);
    ch.resetSequence();
    ch.write(Buffer.alloc(0xffffff));
    expect(s.written.map((b) => [b.readUIntLE(0, 3), b[3]])).toEqual([
      [0xffffff, 0],
      [0, 1],
    ]);
  });

  it('pauses the socket above the high-water mark and resumes once drained; a close fails the reader', async () => {
    const s = new FakeSocket();
    const ch = new PacketChannel(s as unknown as Socket, { highWaterBytes: 100 });
    for (let i = 0; i < 5; i++) s.feed(frame(Buffer.alloc(40), i));
    expect(s.paused).toBe(true);
    for (let i = 0; i < 4; i++) await ch.read();
    expect(s.paused).toBe(false);
    await ch.read();
    s.emit('close');
    await expect(ch.read()).rejects.toThrow(/closed/);
  });
});
