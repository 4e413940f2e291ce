import { flexRender, type Column, type Row } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type HTMLAttributes, type ReactNode } from 'react';

/** From this many rows on, only those in view (and a few around) are in the DOM. */
export const VIRTUAL_FROM = 100;
/** A row's height before it was measured (a one-line row of the dense tables). */
const ESTIMATE_PX = 31;
const OVERSCAN = 8;

export type RowAttrs = HTMLAttributes<HTMLTableRowElement> & Record<`data-${string}`, string | undefined>;

export interface RowGroups<T> {
  key: (row: T) => string;
  heading: (key: string, rows: T[]) => ReactNode;
  testId?: (key: string) => string;
}

type Item<T> = { kind: 'group'; key: string; rows: Row<T>[] } | { kind: 'row'; key: string; row: Row<T> };

/** The rows in order, each run of one group key after its heading. */
function itemsOf<T>(rows: Row<T>[], groups: RowGroups<T> | undefined): Item<T>[] {
  if (!groups) return rows.map((row) => ({ kind: 'row', key: row.id, row }));
  const out: Item<T>[] = [];
  let run: Item<T> & { kind: 'group' } | undefined;
  for (const row of rows) {
    const k = groups.key(row.original);
    if (run?.key !== k) out.push((run = { kind: 'group', key: k, rows: [] }));
    run.rows.push(row);
    out.push({ kind: 'row', key: row.id, row });
  }
  return out;
}

interface BodyRowProps<T> {
  row: Row<T>;
  /** What the row shows; the row is drawn again only when this object (or its props) changes. */
  original: T;
  /** The visible columns (TanStack keeps this array while they stay the same). */
  columns: Column<T, unknown>[];
  attrs: RowAttrs | undefined;
  index: number;
  measure?: (el: HTMLTableRowElement | null) => void;
}

function sameAttrs(a: RowAttrs | undefined, b: RowAttrs | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  const ka = Object.keys(a) as (keyof RowAttrs)[];
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}

/**
 * One body row. Memoized on the row's data object, so a list store that keeps unchanged items
 * (keepUnchanged) re-renders only the rows whose data moved. Cells must render from the row's
 * data (and their own store hooks) only.
 */
const BodyRow = memo(
  function BodyRow<T>({ row, attrs, index, measure }: BodyRowProps<T>) {
    return (
      <tr {...attrs} data-index={index} ref={measure}>
        {row.getVisibleCells().map((cell) => (
          <td key={cell.id} className={cell.column.columnDef.meta?.className}>
            {flexRender(cell.column.columnDef.cell, cell.getContext())}
          </td>
        ))}
      </tr>
    );
  },
  (a, b) => a.original === b.original && a.columns === b.columns && a.index === b.index && a.measure === b.measure && sameAttrs(a.attrs, b.attrs),
) as <T>(p: BodyRowProps<T>) => ReactNode;

/**
 * The area the table scrolls in: the nearest ancestor marked `data-scroll-area` (the main area),
 * or else one that scrolls vertically already. The mark is needed because when this is first
 * asked no row is rendered yet, so the main area may not overflow so far, and style alone does
 * not tell (the table's own sideways scroller computes to overflow-y auto too).
 */
function scrollParentOf(el: HTMLElement): HTMLElement {
  for (let p = el.parentElement; p; p = p.parentElement) {
    if (p.hasAttribute('data-scroll-area')) return p;
    const y = getComputedStyle(p).overflowY;
    if ((y === 'auto' || y === 'scroll') && p.scrollHeight > p.clientHeight) return p;
  }
  return document.scrollingElement as HTMLElement;
}

interface Props<T> {
  rows: Row<T>[];
  columns: Column<T, unknown>[];
  rowProps?: (row: Row<T>) => RowAttrs;
  groups?: RowGroups<T>;
  /** Scrolls this row into view; a new nonce repeats it. */
  reveal?: { id: string; nonce: number };
  /** After the rows (the empty-table row). */
  children?: ReactNode;
}

/**
 * The body rows with their group headings. Long lists are virtual: only the rows in view of the
 * scrolling area (plus a few) are rendered, between two spacer rows that stand in for the rest,
 * at their measured heights, so a thousand live rows cost what forty do.
 */
export function TableBody<T>({ rows, columns, rowProps, groups, reveal, children }: Props<T>) {
  const items = useMemo(() => itemsOf(rows, groups), [rows, groups]);
  const virtual = items.length >= VIRTUAL_FROM;
  const body = useRef<HTMLTableSectionElement>(null);
  const first = useRef<HTMLTableRowElement>(null);
  const [scroller, setScroller] = useState<HTMLElement | null>(null);
  // Where the list starts inside the scrolling content: what lies above the table moves it.
  const [margin, setMargin] = useState(0);
  // The virtualizer re-measures every row when its key function changes: keep it while the
  // keys stay the same (counters moving), change it when rows come, go or move.
  const itemsRef = useRef(items);
  itemsRef.current = items;
  const keys = virtual ? items.map((it) => it.key).join('\n') : '';
  const getItemKey = useCallback((i: number) => `${itemsRef.current[i].kind}:${itemsRef.current[i].key}`, [keys]); // eslint-disable-line react-hooks/exhaustive-deps
  // No React Compiler in this build (as with useReactTable in DataTable).
  // eslint-disable-next-line react-hooks/incompatible-library
  const v = useVirtualizer<HTMLElement, HTMLTableRowElement>({
    count: items.length,
    getScrollElement: () => scroller,
    estimateSize: () => ESTIMATE_PX,
    getItemKey,
    overscan: OVERSCAN,
    scrollMargin: margin,
    enabled: virtual,
  });

  // The list's offset in the scrolling content changes only when something above it (or around
  // it) changes size: measured then, from a ResizeObserver (after layout, so no forced layout
  // on every update), not on every render.
  useLayoutEffect(() => {
    const start = first.current;
    if (!virtual || !start) return;
    const s = scrollParentOf(start);
    setScroller(s);
    const measure = () => {
      const top = start.getBoundingClientRect().top - s.getBoundingClientRect().top + s.scrollTop;
      setMargin((m) => (Math.abs(top - m) >= 1 ? top : m));
    };
    measure();
    const ro = new ResizeObserver(measure);
    for (let el: Element | null = start.closest('table'); el && el !== s; el = el.parentElement) {
      ro.observe(el);
      for (let sib = el.previousElementSibling; sib; sib = sib.previousElementSibling) ro.observe(sib);
    }
    return () => ro.disconnect();
  }, [virtual]);

  const revealIndex = reveal ? items.findIndex((it) => it.kind === 'row' && it.row.id === reveal.id) : -1;
  useEffect(() => {
    if (revealIndex < 0) return;
    if (virtual) v.scrollToIndex(revealIndex, { align: 'center' });
    else body.current?.querySelector(`tr[data-index="${revealIndex}"]`)?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per request (its nonce), not per update
  }, [reveal?.id, reveal?.nonce, revealIndex >= 0]);

  const shown = virtual ? v.getVirtualItems() : items.map((_, index) => ({ index, start: 0, end: 0 }));
  const before = virtual && shown.length ? shown[0].start - margin : 0;
  const after = virtual && shown.length ? v.getTotalSize() - (shown[shown.length - 1].end - margin) : 0;
  const span = columns.length;
  return (
    <tbody ref={body}>
      {/* Stands in for the rows above the window, and is where the list's offset is measured. */}
      {virtual ? (
        <tr ref={first} className="spacer-row" aria-hidden="true">
          <td colSpan={span} style={{ height: before }} />
        </tr>
      ) : null}
      {shown.map(({ index }) => {
        const it = items[index];
        if (it.kind === 'group') {
          return (
            <tr key={`group:${it.key}`} className="group-row" data-testid={groups?.testId?.(it.key)} data-index={index} ref={virtual ? v.measureElement : undefined}>
              <th colSpan={span} scope="rowgroup">
                {groups?.heading(it.key, it.rows.map((r) => r.original))}
              </th>
            </tr>
          );
        }
        return <BodyRow key={it.row.id} row={it.row} original={it.row.original} columns={columns} attrs={rowProps?.(it.row)} index={index} measure={virtual ? v.measureElement : undefined} />;
      })}
      {after > 0 ? (
        <tr className="spacer-row" aria-hidden="true">
          <td colSpan={span} style={{ height: after }} />
        </tr>
      ) : null}
      {children}
    </tbody>
  );
}
