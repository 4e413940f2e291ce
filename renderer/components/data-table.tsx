import { flexRender, getCoreRowModel, useReactTable, type ColumnDef, type Row, type RowData, type VisibilityState } from '@tanstack/react-table';
import type { ReactNode } from 'react';
import { TableBody, type RowAttrs, type RowGroups } from './table-body';

export type { RowGroups } from './table-body';

declare module '@tanstack/react-table' {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface ColumnMeta<TData extends RowData, TValue> {
    /** Class for the header and every cell of the column. */
    className?: string;
    /** Tooltip of the header. */
    title?: string;
  }
}

interface Props<T> {
  data: T[];
  // Columns mix value types; the helper-built definitions are checked where they are written.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  columns: ColumnDef<T, any>[];
  rowId: (row: T) => string;
  rowProps?: (row: Row<T>) => RowAttrs;
  empty?: ReactNode;
  testId?: string;
  label: string;
  /** Rows in runs of the same key get a heading row before each run (data arrives ordered). */
  groups?: RowGroups<T>;
  /** Columns the user hid (`{ id: false }`), from a ColumnMenu. */
  columnVisibility?: VisibilityState;
  /** Scrolls the row with this id into view (also when it is outside a long list's window); a new nonce repeats it. */
  reveal?: { id: string; nonce: number };
}

/**
 * A dense table from TanStack column definitions; the columns live in their own files. Rows
 * re-render only when their data object changes, and long tables render only what is in view
 * (TableBody).
 */
export function DataTable<T>({ data, columns, rowId, rowProps, empty, testId, label, groups, columnVisibility, reveal }: Props<T>) {
  // No React Compiler in this build; the table instance is meant to be used as is each render.
  // eslint-disable-next-line react-hooks/incompatible-library
  const table = useReactTable({ data, columns, getCoreRowModel: getCoreRowModel(), getRowId: rowId, state: columnVisibility ? { columnVisibility } : {} });
  const visible = table.getVisibleLeafColumns();
  return (
    <div className="table-wrap">
      <table className="data-table" data-testid={testId} aria-label={label}>
        <thead>
          {table.getHeaderGroups().map((hg) => (
            <tr key={hg.id}>
              {hg.headers.map((h) => (
                <th key={h.id} className={h.column.columnDef.meta?.className} title={h.column.columnDef.meta?.title} scope="col">
                  {h.isPlaceholder ? null : flexRender(h.column.columnDef.header, h.getContext())}
                </th>
              ))}
            </tr>
          ))}
        </thead>
        <TableBody rows={table.getRowModel().rows} columns={visible} rowProps={rowProps} groups={groups} reveal={reveal}>
          {data.length === 0 && empty ? (
            <tr className="empty-row">
              <td colSpan={visible.length}>{empty}</td>
            </tr>
          ) : null}
        </TableBody>
      </table>
    </div>
  );
}
