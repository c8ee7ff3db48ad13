import { afterEach, describe, expect, it, vi } from 'vitest';
import { amzDate, pageHashes, pureHashes, sign, uriEncode, webCryptoHashes } from './sigv4';
import fromGo from './testdata/sigv4-go.json';

describe('sign', () => {
  it('matches the AWS SDK for Go on a request shaped like the console\'s', async () => {
    // testdata/sigv4-go.json is written and checked by TestSigV4Fixture
    // (console/sigv4_fixture_test.go) with the SDK's v4 signer.
    const s = await sign({
      method: fromGo.method, host: fromGo.host, path: fromGo.path, headers: fromGo.headers, body: fromGo.body,
      service: fromGo.service, date: new Date(fromGo.date),
    }, { accessKeyId: fromGo.accessKeyId, secretAccessKey: fromGo.secretAccessKey, region: fromGo.region });
    expect(s.headers['X-Amz-Date']).toBe(fromGo.amzDate);
    expect(s.headers.Authorization).toBe(fromGo.authorization);
  });

  it('reproduces AWS\'s documented example (S3 GET Object with a Range header)', async () => {
    // "Example: GET Object" in the Amazon S3 API reference, Signature
    // Version 4 header-based authentication.
    const s = await sign({
      method: 'GET', host: 'examplebucket.s3.amazonaws.com', path: '/test.txt',
      headers: { Range: 'bytes=0-9' }, body: '', service: 's3', date: new Date('2013-05-24T00:00:00Z'),
      contentSha256Header: true,
    }, { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', region: 'us-east-1' });
    expect(s.canonicalRequest).toBe([
      'GET', '/test.txt', '',
      'host:examplebucket.s3.amazonaws.com', 'range:bytes=0-9',
      'x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      'x-amz-date:20130524T000000Z', '',
      'host;range;x-amz-content-sha256;x-amz-date',
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    ].join('\n'));
    expect(s.stringToSign.split('\n').pop()).toBe('7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972');
    expect(s.signature).toBe('f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41');
  });

  it('changes with the secret, the body and the time', async () => {
    const base = {
      method: 'POST', host: 'h:1', path: '/', headers: { 'X-Amz-Target': 'AWSStepFunctions.ListStateMachines' },
      body: '{}', service: 'states', date: new Date('2026-01-02T03:04:05Z'),
    };
    const creds = { accessKeyId: 'A', secretAccessKey: 'S', region: 'us-east-1' };
    const a = (await sign(base, creds)).signature;
    expect((await sign(base, { ...creds, secretAccessKey: 'T' })).signature).not.toBe(a);
    expect((await sign({ ...base, body: '{ }' }, creds)).signature).not.toBe(a);
    expect((await sign({ ...base, date: new Date('2026-01-02T03:04:06Z') }, creds)).signature).not.toBe(a);
    expect((await sign(base, creds)).signature).toBe(a);
  });

  it('sends a session token and signs it', async () => {
    const s = await sign({ method: 'POST', host: 'h', path: '/', headers: {}, body: '', service: 'states', date: new Date(0) },
      { accessKeyId: 'A', secretAccessKey: 'S', region: 'r', sessionToken: 'tok' });
    expect(s.headers['X-Amz-Security-Token']).toBe('tok');
    expect(s.headers.Authorization).toContain('SignedHeaders=host;x-amz-date;x-amz-security-token');
  });
});

describe('helpers', () => {
  it('formats the signing time', () => {
    expect(amzDate(new Date('2015-08-30T12:36:00.123Z'))).toBe('20150830T123600Z');
  });
  it('encodes as RFC 3986 asks', () => {
    expect(uriEncode("a b/c~d*e'(f)!")).toBe("a%20b%2Fc~d%2Ae%27%28f%29%21");
  });
});

describe('without WebCrypto', () => {
  afterEach(() => vi.unstubAllGlobals());

  // A page served over plain HTTP on a name other than localhost is not a
  // secure context: it has crypto.getRandomValues but no crypto.subtle.
  it('signs with the pure hashes when crypto.subtle is missing, as the AWS SDK for Go does', async () => {
    vi.stubGlobal('crypto', { getRandomValues: globalThis.crypto.getRandomValues.bind(globalThis.crypto) });
    expect(globalThis.crypto.subtle).toBeUndefined();
    expect(pageHashes()).toBe(pureHashes);
    const s = await sign({
      method: fromGo.method, host: fromGo.host, path: fromGo.path, headers: fromGo.headers, body: fromGo.body,
      service: fromGo.service, date: new Date(fromGo.date),
    }, { accessKeyId: fromGo.accessKeyId, secretAccessKey: fromGo.secretAccessKey, region: fromGo.region });
    expect(s.headers.Authorization).toBe(fromGo.authorization);
  });

  it('signs with the pure hashes when there is no crypto at all', async () => {
    vi.stubGlobal('crypto', undefined);
    expect(pageHashes()).toBe(pureHashes);
  });

  it('gives the same signature as WebCrypto on many requests', async () => {
    const web = webCryptoHashes(globalThis.crypto.subtle);
    for (let i = 0; i < 40; i++) {
      const req = {
        method: 'POST', host: `stepwise.test:${8000 + i}`, path: '/', headers: { 'X-Amz-Target': 'AWSStepFunctions.ListStateMachines' },
        body: JSON.stringify({ maxResults: i, pad: 'é'.repeat(i * 7) }), service: 'states', date: new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
      };
      const creds = { accessKeyId: 'AKID', secretAccessKey: 'secret/' + 'x'.repeat(i * 3), region: 'eu-west-1' };
      expect((await sign(req, creds, pureHashes)).headers.Authorization).toBe((await sign(req, creds, web)).headers.Authorization);
    }
  });
});
