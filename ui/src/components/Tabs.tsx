/**
 * Accessible tabs (the ARIA tabs pattern): role=tablist/tab/tabpanel, arrow keys, Home and End
 * move between the tabs and select them; only the selected tab is in the tab order. The selected
 * tab is kept in the URL hash (`#key`), so a link opens it and the back button keeps it; the
 * first tab has no hash. Only the selected panel is rendered (its data loads when it is opened).
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';

export interface TabDef {
  key: string;
  label: ReactNode;
  panel: () => ReactNode;
}

const fromHash = (tabs: readonly TabDef[]): string => {
  const key = decodeURIComponent(window.location.hash.replace(/^#/, ''));
  return tabs.find((t) => t.key === key)?.key ?? tabs[0]?.key ?? '';
};

export function Tabs({ label, tabs }: { label: string; tabs: readonly TabDef[] }) {
  const id = useId();
  const [selected, setSelected] = useState(() => fromHash(tabs));
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  useEffect(() => {
    const onHash = () => setSelected(fromHash(tabs));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, [tabs.map((t) => t.key).join()]);
  const select = (key: string) => {
    setSelected(key);
    const hash = key === tabs[0]?.key ? '' : `#${key}`;
    window.history.replaceState(window.history.state, '', `${window.location.pathname}${window.location.search}${hash}`);
  };
  const onKey = (e: KeyboardEvent<HTMLButtonElement>, i: number) => {
    const last = tabs.length - 1;
    const to = e.key === 'ArrowRight' ? (i === last ? 0 : i + 1) : e.key === 'ArrowLeft' ? (i === 0 ? last : i - 1) : e.key === 'Home' ? 0 : e.key === 'End' ? last : -1;
    if (to < 0) return;
    e.preventDefault();
    select(tabs[to]!.key);
    refs.current[to]?.focus();
  };
  const current = tabs.find((t) => t.key === selected) ?? tabs[0];
  return (
    <>
      <div role="tablist" aria-label={label} className="tabs" style={{ display: 'flex', flexWrap: 'wrap', gap: '0.4rem', borderBottom: '1px solid #d0d7de', marginBottom: '0.8rem' }}>
        {tabs.map((t, i) => (
          <button
            key={t.key}
            ref={(el) => {
              refs.current[i] = el;
            }}
            type="button"
            role="tab"
            id={`${id}-tab-${t.key}`}
            aria-selected={current?.key === t.key}
            aria-controls={`${id}-panel-${t.key}`}
            tabIndex={current?.key === t.key ? 0 : -1}
            style={current?.key === t.key ? { fontWeight: 700, boxShadow: 'inset 0 -3px 0 #0a3069' } : { background: 'transparent', color: 'inherit', border: '1px solid #d0d7de' }}
            onClick={() => select(t.key)}
            onKeyDown={(e) => onKey(e, i)}
          >
            {t.label}
          </button>
        ))}
      </div>
      {current ? (
        <div role="tabpanel" id={`${id}-panel-${current.key}`} aria-labelledby={`${id}-tab-${current.key}`} tabIndex={0}>
          {current.panel()}
        </div>
      ) : null}
    </>
  );
}
