import { seconds } from './status';

/** Formats epoch seconds as a local date and time. */
export function when(ts: number | string | undefined): string {
  const s = seconds(ts);
  if (!s) return '';
  return new Date(s * 1000).toLocaleString(undefined, {
    year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit',
  });
}

/** Formats a duration in seconds: 850 ms, 12.3 s, 4 min 5 s. */
export function duration(s: number): string {
  if (s < 1) return `${Math.round(s * 1000)} ms`;
  if (s < 60) return `${s.toFixed(s < 10 ? 2 : 1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.round(s - m * 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** Pretty-prints JSON text; returns it unchanged when it isn't JSON. */
export function pretty(text: string | undefined): string {
  if (text === undefined) return '';
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
