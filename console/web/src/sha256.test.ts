import { describe, expect, it } from 'vitest';
import { hmacSha256, sha256 } from './sha256';

const enc = new TextEncoder();
const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
const bytes = (n: number, v: number) => new Uint8Array(n).fill(v);
// The test runner's WebCrypto, to compare with.
const subtle = globalThis.crypto.subtle;
const webSha256 = async (d: Uint8Array) => hex(new Uint8Array(await subtle.digest('SHA-256', d as BufferSource)));
const webHmac = async (key: Uint8Array, d: Uint8Array) => {
  // WebCrypto refuses an empty HMAC key; RFC 2104 pads it with zeros, so
  // one zero byte is the same key.
  const k = await subtle.importKey('raw', (key.length ? key : new Uint8Array(1)) as BufferSource, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return hex(new Uint8Array(await subtle.sign('HMAC', k, d as BufferSource)));
};

describe('sha256', () => {
  // FIPS 180-2 appendix B and the NIST CSRC examples for SHA-256.
  it.each([
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq', '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1'],
    ['abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu',
      'cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1'],
  ])('NIST vector %j', (msg, want) => {
    expect(hex(sha256(enc.encode(msg)))).toBe(want);
  });

  it('NIST vector: one million "a"', () => {
    expect(hex(sha256(bytes(1_000_000, 0x61)))).toBe('cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0');
  });

  it('agrees with WebCrypto on every length around the padding boundaries', async () => {
    // 55, 56, 63, 64 and 119, 120 bytes are where the padding needs a
    // second block; every length up to 300 covers them.
    for (let n = 0; n <= 300; n++) {
      const data = new Uint8Array(n).map((_, i) => (i * 131 + n) & 0xff);
      expect(hex(sha256(data)), `length ${n}`).toBe(await webSha256(data));
    }
  });

  it('hashes UTF-8 text as its bytes', async () => {
    const s = enc.encode('Grüße, 世界 🌍');
    expect(s.length).toBe(20); // 14 characters, 20 bytes
    expect(hex(sha256(s))).toBe(await webSha256(s));
  });
});

describe('hmacSha256', () => {
  // RFC 4231, section 4: the HMAC-SHA-256 test cases.
  const cases: [string, Uint8Array, Uint8Array, string][] = [
    ['1', bytes(20, 0x0b), enc.encode('Hi There'), 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7'],
    ['2', enc.encode('Jefe'), enc.encode('what do ya want for nothing?'), '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843'],
    ['3', bytes(20, 0xaa), bytes(50, 0xdd), '773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe'],
    ['4', new Uint8Array(25).map((_, i) => i + 1), bytes(50, 0xcd), '82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b'],
    ['6', bytes(131, 0xaa), enc.encode('Test Using Larger Than Block-Size Key - Hash Key First'),
      '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54'],
    ['7', bytes(131, 0xaa),
      enc.encode('This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.'),
      '9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2'],
  ];
  it.each(cases)('RFC 4231 test case %s', (_, key, data, want) => {
    expect(hex(hmacSha256(key, data))).toBe(want);
  });

  it('RFC 4231 test case 5 (output truncated to 128 bits)', () => {
    expect(hex(hmacSha256(bytes(20, 0x0c), enc.encode('Test With Truncation'))).slice(0, 32)).toBe('a3b6167473100ee06e0c796c2955552b');
  });

  it('agrees with WebCrypto for keys of every length around the block size', async () => {
    for (let n = 0; n <= 140; n++) {
      const key = new Uint8Array(n).map((_, i) => (i * 7 + 3) & 0xff);
      const data = enc.encode(`message ${n}`);
      expect(hex(hmacSha256(key, data)), `key length ${n}`).toBe(await webHmac(key, data));
    }
  });
});
