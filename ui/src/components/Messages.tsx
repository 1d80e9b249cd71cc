/** Status and error regions: errors are role="alert" (announced at once), info role="status". */
import type { ReactNode } from 'react';

export function ErrorAlert({ children, title }: { children: ReactNode; title?: string }) {
  if (!children) return null;
  return (
    <div role="alert" className="alert alert-error">
      {title ? <strong>{title}: </strong> : null}
      {children}
    </div>
  );
}

export function Info({ children }: { children: ReactNode }) {
  return (
    <div role="status" className="alert alert-info">
      {children}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p role="status" aria-live="polite" className="muted">
      {what} laden…
    </p>
  );
}
