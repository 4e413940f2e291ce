import type { ColumnDef, VisibilityState } from '@tanstack/react-table';
import { useEffect, useRef, useState } from 'react';

export interface ChoosableColumn {
  id: string;
  label: string;
}

/** The columns of a table the user may hide (not those with `enableHiding: false`), by header. */
export function choosableColumns<T>(columns: readonly ColumnDef<T, never>[]): ChoosableColumn[] {
  return columns.flatMap((c) => (c.id && c.enableHiding !== false ? [{ id: c.id, label: typeof c.header === 'string' && c.header ? c.header : c.id }] : []));
}

interface Props {
  columns: ChoosableColumn[];
  visibility: VisibilityState;
  onChange: (next: VisibilityState) => void;
  testId: string;
}

/** "Columns ▾": a checkbox per column the table may hide, and a way back to all of them. */
export function ColumnMenu({ columns, visibility, onChange, testId }: Props) {
  // Where the list opens: fixed under the button, so the scrolling main area cannot clip it.
  const [at, setAt] = useState<{ top: number; right: number } | null>(null);
  const ref = useRef<HTMLDivElement>(null);
  const open = at !== null;
  const hidden = columns.filter((c) => visibility[c.id] === false).length;

  const toggle = () => {
    const r = ref.current?.getBoundingClientRect();
    setAt(open || !r ? null : { top: r.bottom + 4, right: window.innerWidth - r.right });
  };

  useEffect(() => {
    if (!open) return;
    const close = () => setAt(null);
    const away = (e: Event) => {
      if (!ref.current?.contains(e.target as Node)) close();
    };
    // The area around the button scrolled: the fixed list would float away from it. (Other
    // scrolling, such as the log viewer following new entries, leaves it open.)
    const moved = (e: Event) => {
      if (e.target instanceof Node && e.target.contains(ref.current)) close();
    };
    document.addEventListener('mousedown', away);
    document.addEventListener('scroll', moved, true);
    window.addEventListener('resize', close);
    return () => {
      document.removeEventListener('mousedown', away);
      document.removeEventListener('scroll', moved, true);
      window.removeEventListener('resize', close);
    };
  }, [open]);

  return (
    <div
      ref={ref}
      className="column-menu"
      onKeyDown={(e) => {
        // Escape closes the menu only, not the drawer or dialog around it.
        if (e.key === 'Escape' && open) {
          e.stopPropagation();
          setAt(null);
        }
      }}
    >
      <button type="button" className="btn btn-small" aria-expanded={open} onClick={toggle} data-testid={testId} title="Choose the columns shown (remembered in this browser)">
        Columns{hidden ? ` (${hidden} hidden)` : ''} ▾
      </button>
      {open ? (
        <div className="column-menu-list" style={{ top: at.top, right: at.right, maxHeight: `calc(100vh - ${at.top + 8}px)` }} role="group" aria-label="Columns shown" data-testid={`${testId}-list`}>
          {columns.map((c) => (
            <label key={c.id} className="check">
              <input
                type="checkbox"
                checked={visibility[c.id] !== false}
                onChange={(e) => onChange({ ...visibility, [c.id]: e.target.checked })}
                data-testid={`${testId}-${c.id}`}
              />
              {c.label}
            </label>
          ))}
          <button type="button" className="btn-link" disabled={hidden === 0} onClick={() => onChange({})} data-testid={`${testId}-all`}>
            Show all
          </button>
        </div>
      ) : null}
    </div>
  );
}
