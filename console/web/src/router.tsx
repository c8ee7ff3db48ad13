import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';

/** Navigates within the console without reloading the page. */
export function navigate(to: string) {
  history.pushState(null, '', to);
  dispatchEvent(new PopStateEvent('popstate'));
}

/** The current path, updated on navigation. */
export function usePath(): string {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const on = () => setPath(location.pathname);
    addEventListener('popstate', on);
    return () => removeEventListener('popstate', on);
  }, []);
  return path;
}

export function Link({ to, children, class: cls }: { to: string; children: ComponentChildren; class?: string }) {
  return (
    <a
      href={to}
      class={cls}
      onClick={(e) => {
        if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        navigate(to);
      }}
    >
      {children}
    </a>
  );
}

export const machinePath = (arn: string) => `/state-machines/${encodeURIComponent(arn)}`;
export const executionPath = (arn: string) => `/executions/${encodeURIComponent(arn)}`;
export const mapRunPath = (arn: string) => `/map-runs/${encodeURIComponent(arn)}`;
