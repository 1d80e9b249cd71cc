/** Data loading that stays current: pushed live updates (live.ts), polling while they are down. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorText } from './api';
import { liveIsUp, subscribeLive, type LiveEvent } from './live';

/** While the live stream is up, a live view still reloads this seldom: a safety net, not the way changes arrive. */
export const LIVE_SAFETY_POLL_MS = 60_000;
/** Events that arrive together (a step writes history, a task and a mail) make one reload. */
const EVENT_COALESCE_MS = 150;

export interface Loaded<T> {
  data: T | undefined;
  error: string | undefined;
  loading: boolean;
  reload: () => Promise<void>;
  setData: (value: T) => void;
}

/**
 * Loads `load()` now and whenever `deps` change. With `pollMs` the view is live: it reloads when
 * the live stream pushes an event (`relevant` ones only, when given) and when the stream comes
 * (back) up. A view that names its `relevant` events says its facts are pushed: while the stream
 * is up it polls only every LIVE_SAFETY_POLL_MS, while it is down every `pollMs`. A view without
 * `relevant` shows facts that may not be pushed (an Ockto retrieval, a RISK message), so it keeps
 * polling every `pollMs` as well. Only while the document is visible (and at once when it becomes
 * visible again). A failed reload keeps the last data and shows the error.
 */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[], pollMs?: number, relevant?: (event: LiveEvent) => boolean): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const loadRef = useRef(load);
  loadRef.current = load;
  const relevantRef = useRef(relevant);
  relevantRef.current = relevant;
  const generation = useRef(0);

  const reload = useCallback(async () => {
    const mine = ++generation.current;
    try {
      const value = await loadRef.current();
      if (mine !== generation.current) return;
      setData(value);
      setError(undefined);
    } catch (err) {
      if (mine !== generation.current) return;
      setError(errorText(err));
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }, []);

  useEffect(() => {
    setLoading(true);
    setData(undefined);
    void reload();
    if (!pollMs) return;
    let last = Date.now();
    const visible = () => document.visibilityState === 'visible';
    const load = () => {
      last = Date.now();
      void reload();
    };
    let pending: number | undefined;
    const soon = () => {
      pending ??= window.setTimeout(() => {
        pending = undefined;
        if (visible()) load();
      }, EVENT_COALESCE_MS);
    };
    const timer = window.setInterval(() => {
      if (visible() && (!liveIsUp() || !relevantRef.current || Date.now() - last >= LIVE_SAFETY_POLL_MS)) load();
    }, pollMs);
    const unsubscribe = subscribeLive({
      event: (event) => {
        if (!relevantRef.current || relevantRef.current(event)) soon();
      },
      // Up again: what changed while it was down was not pushed.
      status: (up) => {
        if (up) soon();
      },
    });
    const onVisible = () => {
      if (visible()) load();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      window.clearInterval(timer);
      window.clearTimeout(pending);
      unsubscribe();
      document.removeEventListener('visibilitychange', onVisible);
      generation.current++;
    };
  }, deps);

  const set = useCallback((value: T) => {
    generation.current++;
    setData(value);
  }, []);

  return { data, error, loading, reload, setData: set };
}
