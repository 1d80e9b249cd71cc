/**
 * The notices an admin set (planned maintenance, outages; GET /login-notices, public), on the
 * sign-in page and the dashboard. Shows nothing when there are none or they cannot be read.
 */
import { useEffect, useState } from 'react';
import { dateTime, noticeSeverityLabel } from '../labels';
import type { ApiResponse } from '../types';

type Notice = ApiResponse<'/login-notices'>['items'][number];

export function LoginNotices() {
  const [notices, setNotices] = useState<Notice[]>([]);
  useEffect(() => {
    let cancelled = false;
    // A plain fetch: the notices are public, and a failure must not sign anyone out.
    fetch('/login-notices', { headers: { accept: 'application/json' } })
      .then((r) => (r.ok ? (r.json() as Promise<ApiResponse<'/login-notices'>>) : { items: [] }))
      .then((list) => {
        if (!cancelled) setNotices(list.items);
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, []);
  if (notices.length === 0) return null;
  const now = Date.now();
  // Only an outage going on now is urgent enough to interrupt a screen reader; an announced one can wait its turn.
  const urgent = (n: Notice) => n.severity === 'outage' && Date.parse(n.startsAt) <= now && now < Date.parse(n.endsAt);
  return (
    <section aria-label="Meldingen" className="login-notices">
      {notices.map((n) => (
        <div key={n.id} className={`notice notice-${n.severity}`} role={urgent(n) ? 'alert' : 'status'}>
          <strong>{noticeSeverityLabel[n.severity] ?? n.severity}</strong> ({dateTime(n.startsAt)} – {dateTime(n.endsAt)}): {n.message}
        </div>
      ))}
    </section>
  );
}
