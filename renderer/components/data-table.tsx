import { flexRender, getCoreRowModel, useReactTable, type ColumnDef, type Row, type RowData } from '@tanstack/react-table';
import type { HTMLAttributes, ReactNode } from 'react';

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
}

/** A dense table from TanStack column definitions; the columns live in their own files. */
export function DataTable<T>({ data, columns, rowId, rowProps, empty, testId, label }: Props<T>) {
  // No React Compiler in this build; the table instance is meant to be used as is each render.
  // eslint-disable-next-line react-hooks/incompatible-library
  const table = useReactTable({ data, columns, getCoreRowModel: getCoreRowModel(), getRowId: rowId });
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
          {table.getRowModel().rows.map((row) => (
            <tr key={row.id} {...rowProps?.(row)}>
              {row.getVisibleCells().map((cell) => (
                <td key={cell.id} className={cell.column.columnDef.meta?.className}>
                  {flexRender(cell.column.columnDef.cell, cell.getContext())}
                </td>
              ))}
            </tr>
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
