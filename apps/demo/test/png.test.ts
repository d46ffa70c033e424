import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodePng, distinctSampledColours } from './support/png';

/** A tiny RGB PNG encoder (CRCs are not checked by the decoder, so they are left zero). */
function encodePng(
  width: number,
  height: number,
  pixel: (x: number, y: number) => [number, number, number],
  filter = 0,
) {
  const rows: number[] = [];
  for (let y = 0; y < height; y++) {
    rows.push(filter);
    let left = [0, 0, 0];
    for (let x = 0; x < width; x++) {
      const rgb = pixel(x, y);
      // Filter 1 (Sub) stores the difference to the pixel on the left.
      rows.push(...rgb.map((v, i) => (filter === 1 ? (v - (left[i] as number)) & 0xff : v)));
      left = rgb;
    }
  }
  const chunk = (type: string, body: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(body.length, 0);
    head.write(type, 4, 'latin1');
    return Buffer.concat([head, body, Buffer.alloc(4)]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.from(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('the screenshot check', () => {
  it('finds one colour in a blank image', () => {
    const png = decodePng(encodePng(40, 30, () => [255, 255, 255]));
    expect(png).toMatchObject({ width: 40, height: 30, channels: 3 });
    expect(distinctSampledColours(png)).toBe(1);
  });

  it('undoes row filters and sees the colours', () => {
    const png = decodePng(encodePng(48, 48, (x, y) => [x * 5, y * 5, (x + y) % 2 ? 200 : 0], 1));
    expect(Array.from(png.pixels.subarray(0, 6))).toEqual([0, 0, 0, 5, 0, 200]);
    expect(distinctSampledColours(png)).toBeGreaterThan(100);
  });

  it('refuses what is not a PNG', () => {
    expect(() => decodePng(Buffer.from('not a png at all, not at all, no'))).toThrow('not a PNG');
  });
});
