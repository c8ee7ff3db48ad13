// The sign-in asked for when the server requires signed requests.

import { useEffect, useState } from 'preact/hooks';
import { ApiError, call, NetworkError, SigningError } from './api';
import { authErrorTypes, credentials, onAuthChange, refusal, signIn, signOut } from './auth';
import './signin.css';

/** Re-renders on sign-in, sign-out and refusals; the number changes each time. */
export function useAuth(): { version: number; refused: string; accessKeyId?: string } {
  const [version, setVersion] = useState(0);
  useEffect(() => onAuthChange(() => setVersion((v) => v + 1)), []);
  return { version, refused: refusal(), accessKeyId: credentials()?.accessKeyId };
}

/**
 * Asks for an access key id, secret and region, and checks them with one
 * signed call before using them. The secret never leaves the browser:
 * requests carry only their signature.
 */
export function SignIn({ reason }: { reason: string }) {
  const [id, setId] = useState(credentials()?.accessKeyId ?? '');
  const [secret, setSecret] = useState('');
  const [region, setRegion] = useState(credentials()?.region ?? 'us-east-1');
  const [remember, setRemember] = useState(false);
  const [err, setErr] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const c = { accessKeyId: id.trim(), secretAccessKey: secret, region: region.trim() || 'us-east-1' };
    setBusy(true);
    setErr('');
    try {
      await call('ListStateMachines', { maxResults: 1 }, { creds: c, quiet: true });
      signIn(c, remember);
    } catch (x) {
      setErr(signInProblem(x));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="signin">
      <h1>Sign in</h1>
      <p>
        This server requires requests signed with AWS Signature Version 4. Sign in with an access key it knows
        (its <code>--credentials-file</code> or <code>STEPWISE_CREDENTIALS</code>).
      </p>
      <p class="muted small" data-testid="signin-reason">The server answered: {reason}</p>
      <form onSubmit={submit} data-testid="signin">
        <label>Access key ID <input required autocomplete="username" value={id} onInput={(e) => setId((e.target as HTMLInputElement).value)} /></label>
        <label>Secret access key <input required type="password" autocomplete="current-password" value={secret}
          onInput={(e) => setSecret((e.target as HTMLInputElement).value)} /></label>
        <label>Region <input value={region} onInput={(e) => setRegion((e.target as HTMLInputElement).value)} /></label>
        <label class="check">
          <input type="checkbox" checked={remember} onChange={(e) => setRemember((e.target as HTMLInputElement).checked)} />
          {' '}Stay signed in in this tab (kept in sessionStorage until the tab closes)
        </label>
        {err && <p class="error" role="alert" data-testid="signin-error">{err}</p>}
        <button type="submit" class="primary" disabled={busy || !id.trim() || !secret}>Sign in</button>
      </form>
      <p class="muted small">
        The secret stays in this browser: the console signs each request with it (WebCrypto, or its own SHA-256 where the page has no WebCrypto, as over plain HTTP) and sends only the signature.
      </p>
    </main>
  );
}

/**
 * What went wrong with a sign-in, in words that say which step failed: the
 * signing in this browser, the server's refusal of the credentials, another
 * answer from the server, or no answer at all.
 */
export function signInProblem(x: unknown): string {
  if (x instanceof SigningError) return `This browser could not sign the request (nothing was sent): ${x.message}`;
  if (x instanceof ApiError) {
    const detail = `${x.type}: ${x.message.slice(x.type.length + 2)}`;
    return authErrorTypes.has(x.type)
      ? `The server refused these credentials: ${detail}`
      : `The server answered with an error (HTTP ${x.httpStatus}): ${detail}`;
  }
  if (x instanceof NetworkError) return `Could not reach the server: ${x.message}`;
  return `Sign-in failed: ${x instanceof Error ? x.message : String(x)}`;
}

/** Who is signed in, with a way out; nothing when the server needs no credentials. */
export function AuthStatus({ accessKeyId }: { accessKeyId?: string }) {
  if (!accessKeyId) return null;
  return (
    <span class="auth-status small muted" data-testid="auth-status">
      {accessKeyId}{' '}
      <button type="button" class="link-button" onClick={signOut}>Sign out</button>
    </span>
  );
}
