// The console's credentials, when the server requires signed requests.
// They live in this page's memory, and in sessionStorage only when the
// user asks to stay signed in for the tab: never in localStorage or a
// cookie, and never sent anywhere. Requests carry only their SigV4
// signature (see sigv4.ts and api.ts).

import type { Credentials } from './sigv4';

const storageKey = 'stepwise.credentials';

let current: Credentials | null = load();
const listeners = new Set<() => void>();
let refused = '';

function load(): Credentials | null {
  try {
    const raw = sessionStorage.getItem(storageKey);
    if (!raw) return null;
    const c = JSON.parse(raw) as Credentials;
    return c.accessKeyId && c.secretAccessKey ? c : null;
  } catch {
    // No storage (private mode, tests) or garbage in it: signed out.
    return null;
  }
}

/** The credentials requests are signed with, or null. */
export function credentials(): Credentials | null {
  return current;
}

/** Signs in: keeps c in memory, and in sessionStorage for this tab when remember is set. */
export function signIn(c: Credentials, remember: boolean) {
  current = c;
  refused = '';
  try {
    if (remember) sessionStorage.setItem(storageKey, JSON.stringify(c));
    else sessionStorage.removeItem(storageKey);
  } catch {
    // Storage unavailable: the credentials last until the page is left.
  }
  notify();
}

/** Forgets the credentials, here and in sessionStorage. */
export function signOut() {
  current = null;
  try {
    sessionStorage.removeItem(storageKey);
  } catch {
    // Nothing stored.
  }
  notify();
}

/**
 * The server's answer to the latest request when it asked for (other)
 * credentials, e.g. "InvalidSignatureException: Missing Authentication
 * Token"; '' when no request was refused since the last sign-in.
 */
export function refusal(): string {
  return refused;
}

/** Called by api.ts when the server refuses a request for want of valid credentials. */
export function authRefused(message: string) {
  if (refused === message) return;
  refused = message;
  notify();
}

/** Calls f whenever the credentials or the refusal change; returns the unsubscribe function. */
export function onAuthChange(f: () => void): () => void {
  listeners.add(f);
  return () => listeners.delete(f);
}

function notify() {
  for (const f of listeners) f();
}

/**
 * The error types with which the server (like AWS) turns away a request
 * that is unsigned, signed with an unknown key, or signed wrongly.
 */
export const authErrorTypes = new Set([
  'MissingAuthenticationToken', 'MissingAuthenticationTokenException', 'UnrecognizedClientException',
  'InvalidSignatureException', 'IncompleteSignature', 'IncompleteSignatureException', 'SignatureDoesNotMatch',
  'InvalidClientTokenId', 'ExpiredTokenException',
]);
