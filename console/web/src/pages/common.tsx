import { ApiError } from '../api';

export function ErrorBox({ err }: { err: unknown }) {
  const msg = err instanceof ApiError ? `${err.type}: ${err.message.replace(/^[^:]*: /, '')}` : String(err);
  return <p class="error" role="alert">{msg}</p>;
}

export function StatusBadge({ status }: { status: string }) {
  return <span class={`badge st-${status}`} data-status={status}>{status}</span>;
}
