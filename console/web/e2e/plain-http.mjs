// Browser test: sign in to a server that requires credentials from a page
// that is not a secure context, so it has no WebCrypto (crypto.subtle):
// the console served over plain HTTP on a host name other than localhost,
// as on a shared server. Chromium resolves stepwise.test to 127.0.0.1
// (--host-resolver-rules), so the page's origin is http://stepwise.test:PORT.
// Run by TestBrowserPlainHTTP (console/plain_http_browser_test.go):
//
//   node e2e/plain-http.mjs URL ACCESS_KEY SECRET
import { check, run } from './lib.mjs';

const [url, key, secret] = process.argv.slice(2);
if (!url || !key || !secret) {
  console.error('usage: node e2e/plain-http.mjs URL ACCESS_KEY SECRET');
  process.exit(2);
}
const origin = new URL(url);
origin.hostname = 'stepwise.test';

await run(async (page) => {
  await page.goto(origin.href);
  await page.waitForSelector('[data-testid=signin]');
  const ctx = await page.evaluate(() => ({ secure: window.isSecureContext, subtle: typeof globalThis.crypto?.subtle, host: location.host }));
  check(!ctx.secure && ctx.subtle === 'undefined', `the page at ${ctx.host} is not a secure context and has no crypto.subtle (${JSON.stringify(ctx)})`);

  const fill = async (k, s) => {
    await page.fill('label:has-text("Access key ID") input', k);
    await page.fill('label:has-text("Secret access key") input', s);
    await page.click('button:has-text("Sign in")');
  };
  // A wrong secret: the request is signed and sent, and the server's
  // refusal is what the message says.
  await fill(key, 'not-the-secret');
  await page.waitForSelector('[data-testid=signin-error]');
  const refused = await page.textContent('[data-testid=signin-error]');
  check(/^The server refused these credentials: InvalidSignatureException/.test(refused) && !/reach the server/.test(refused),
    `a wrong secret is reported as the server's refusal: ${refused}`);

  await fill(key, secret);
  await page.waitForSelector('[data-testid=machines] a:text-is("signed")', { timeout: 15000 });
  check(true, 'signed in over plain HTTP without WebCrypto: the state machine list shows "signed"');
  check((await page.textContent('[data-testid=auth-status]')).includes(key), 'the header names the signed-in key');
}, { extraArgs: ['--host-resolver-rules=MAP stepwise.test 127.0.0.1', '--disable-features=HttpsUpgrades'] });
