import { flexRender, getCoreRowModel, useReactTable, type ColumnDef, type Row, type RowData, type VisibilityState } from '@tanstack/react-table';
import { Fragment, type HTMLAttributes, type ReactNode } from 'react';

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
  rowProps?: (row: Row<T>) => HTMLAttributes<HTMLTableRowElement> & Record<`data-${string}`, string | undefined>;
  empty?: ReactNode;
  testId?: string;
  label: string;
  /** Rows in runs of the same key get a heading row before each run (data arrives ordered). */
  groups?: RowGroups<T>;
  /** Columns the user hid (`{ id: false }`), from a ColumnMenu. */
  columnVisibility?: VisibilityState;
}

export interface RowGroups<T> {
  key: (row: T) => string;
  heading: (key: string, rows: T[]) => ReactNode;
  testId?: (key: string) => string;
}

/** Consecutive rows with the same group key. */
function runsOf<T>(rows: Row<T>[], key: (row: T) => string): { key: string; rows: Row<T>[] }[] {
  const out: { key: string; rows: Row<T>[] }[] = [];
  for (const row of rows) {
    const k = key(row.original);
    const last = out[out.length - 1];
    if (last?.key === k) last.rows.push(row);
    else out.push({ key: k, rows: [row] });
  }
  return out;
}

/** A dense table from TanStack column definitions; the columns live in their own files. */
export function DataTable<T>({ data, columns, rowId, rowProps, empty, testId, label, groups, columnVisibility }: Props<T>) {
  // No React Compiler in this build; the table instance is meant to be used as is each render.
  // eslint-disable-next-line react-hooks/incompatible-library
  const table = useReactTable({ data, columns, getCoreRowModel: getCoreRowModel(), getRowId: rowId, state: columnVisibility ? { columnVisibility } : {} });
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
        <tbody>
          {(groups ? runsOf(table.getRowModel().rows, groups.key) : [{ key: '', rows: table.getRowModel().rows }]).map((run) => (
            <Fragment key={run.key}>
              {groups ? (
                <tr className="group-row" data-testid={groups.testId?.(run.key)}>
                  <th colSpan={table.getVisibleLeafColumns().length} scope="rowgroup">
                    {groups.heading(run.key, run.rows.map((r) => r.original))}
                  </th>
                </tr>
              ) : null}
              {run.rows.map((row) => (
                <tr key={row.id} {...rowProps?.(row)}>
                  {row.getVisibleCells().map((cell) => (
                    <td key={cell.id} className={cell.column.columnDef.meta?.className}>
                      {flexRender(cell.column.columnDef.cell, cell.getContext())}
                    </td>
                  ))}
                </tr>
              ))}
            </Fragment>
          ))}
          {data.length === 0 && empty ? (
            <tr className="empty-row">
              <td colSpan={table.getVisibleLeafColumns().length}>{empty}</td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}
