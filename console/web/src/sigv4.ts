// AWS Signature Version 4, computed in the browser, so the console can call
// a `stepwise server` that requires credentials while the secret key stays
// in the browser: only the signature travels. It uses WebCrypto where the
// page has it, and sha256.ts where it has not: crypto.subtle exists only in
// secure contexts, and a console opened over plain HTTP on a shared
// server's name (http://build-box:8083) is not one.
// The algorithm: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html

import { hmacSha256, sha256 as sha256Bytes } from './sha256';

/** The keys a request is signed with. */
export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  /** Temporary credentials only; sent as X-Amz-Security-Token. */
  sessionToken?: string;
}

export interface SignInput {
  method: string;
  /** The Host header as the server sees it (host, and port when not the scheme's default). */
  host: string;
  /** The URI path, already percent-encoded as sent ("/"). */
  path: string;
  /** Query parameters, unencoded; empty for the Step Functions API. */
  query?: [string, string][];
  /** Headers to sign besides host and x-amz-date (names in any case). */
  headers: Record<string, string>;
  body: string;
  service: string;
  /** When the request is signed. */
  date: Date;
  /** Send the payload hash as X-Amz-Content-Sha256 and sign it (S3 does this). */
  contentSha256Header?: boolean;
}

export interface Signed {
  /** Headers to add to the request: Authorization, X-Amz-Date, and the optional ones. */
  headers: Record<string, string>;
  /** Intermediate values, for tests and debugging. */
  canonicalRequest: string;
  stringToSign: string;
  signature: string;
}

const enc = new TextEncoder();

function hex(buf: ArrayBuffer | Uint8Array): string {
  return [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The two primitives SigV4 needs. */
export interface Hashes {
  sha256(data: Uint8Array): Promise<Uint8Array>;
  hmac(key: Uint8Array, data: Uint8Array): Promise<Uint8Array>;
}

/** WebCrypto's SHA-256 and HMAC, for pages in a secure context. */
export const webCryptoHashes = (subtle: SubtleCrypto): Hashes => ({
  sha256: async (data) => new Uint8Array(await subtle.digest('SHA-256', data as BufferSource)),
  hmac: async (key, data) => {
    const k = await subtle.importKey('raw', key as BufferSource, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    return new Uint8Array(await subtle.sign('HMAC', k, data as BufferSource));
  },
});

/** sha256.ts: the same results without WebCrypto. */
export const pureHashes: Hashes = {
  sha256: async (data) => sha256Bytes(data),
  hmac: async (key, data) => hmacSha256(key, data),
};

/**
 * The hashes this page can use: WebCrypto's when crypto.subtle exists (a
 * secure context), otherwise the pure ones. Looked up on each call, so a
 * page (or a test) without crypto.subtle is seen as it is.
 */
export function pageHashes(): Hashes {
  const subtle = (globalThis as { crypto?: Crypto }).crypto?.subtle;
  return subtle ? webCryptoHashes(subtle) : pureHashes;
}

const sha256Hex = async (h: Hashes, data: string) => hex(await h.sha256(enc.encode(data)));

/** 20150830T123600Z: the basic ISO 8601 form SigV4 uses. */
export function amzDate(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** Percent-encodes all but RFC 3986's unreserved characters, as SigV4 requires. */
export function uriEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

/**
 * The derived signing key for a day, region and service. Deriving costs
 * four HMACs; callers may cache it for the day.
 */
export async function signingKey(secret: string, day: string, region: string, service: string, h: Hashes = pageHashes()): Promise<Uint8Array> {
  const kDate = await h.hmac(enc.encode('AWS4' + secret), enc.encode(day));
  const kRegion = await h.hmac(kDate, enc.encode(region));
  const kService = await h.hmac(kRegion, enc.encode(service));
  return h.hmac(kService, enc.encode('aws4_request'));
}

/**
 * Signs a request: returns the headers to add. h defaults to the page's
 * hashes (pageHashes); tests pass one to check both give one signature.
 */
export async function sign(req: SignInput, creds: Credentials, h: Hashes = pageHashes()): Promise<Signed> {
  const when = amzDate(req.date);
  const day = when.slice(0, 8);
  const payloadHash = await sha256Hex(h, req.body);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = v;
  headers.host = req.host;
  headers['x-amz-date'] = when;
  if (req.contentSha256Header) headers['x-amz-content-sha256'] = payloadHash;
  if (creds.sessionToken) headers['x-amz-security-token'] = creds.sessionToken;
  const names = Object.keys(headers).sort();
  // Header values are trimmed and inner runs of spaces collapsed.
  const canonicalHeaders = names.map((n) => `${n}:${headers[n].trim().replace(/\s+/g, ' ')}\n`).join('');
  const signedHeaders = names.join(';');
  const query = (req.query ?? [])
    .map(([k, v]) => `${uriEncode(k)}=${uriEncode(v)}`)
    .sort()
    .join('&');
  const canonicalRequest = [req.method.toUpperCase(), req.path || '/', query, canonicalHeaders, signedHeaders, payloadHash].join('\n');
  const scope = `${day}/${creds.region}/${req.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', when, scope, await sha256Hex(h, canonicalRequest)].join('\n');
  const key = await signingKey(creds.secretAccessKey, day, creds.region, req.service, h);
  const signature = hex(await h.hmac(key, enc.encode(stringToSign)));
  const out: Record<string, string> = {
    Authorization: `AWS4-HMAC-SHA256 Credential=${creds.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
    'X-Amz-Date': when,
  };
  if (req.contentSha256Header) out['X-Amz-Content-Sha256'] = payloadHash;
  if (creds.sessionToken) out['X-Amz-Security-Token'] = creds.sessionToken;
  return { headers: out, canonicalRequest, stringToSign, signature };
}
