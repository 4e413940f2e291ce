import { DataTable } from '../../components/data-table';
import { useNow } from '../../lib/use-now';
import { useSharesStore } from '../../stores/use-shares-store';
import { useOwnerTerminalsStore, useTerminalSessionsStore } from '../../stores/use-terminals-store';
import { useAction } from '../../lib/use-action';
import { killSession } from './actions';
import { sessionColumns, type SessionRow } from './session-columns';

/** Every open terminal, newest first: who, which node, since when, how much; a kill button each. */
export function SessionsTable() {
  const sessions = useTerminalSessionsStore((s) => s.items);
  const shares = useSharesStore((s) => s.items);
  const shown = useOwnerTerminalsStore((s) => s.open);
  const add = useOwnerTerminalsStore((s) => s.add);
  const now = useNow(sessions.length > 0);
  const killing = useAction(killSession, { failure: 'Ending the session failed', exclusive: false });
  const kill = (id: string) => void killing.run(id);
  const rows: SessionRow[] = [...sessions]
    .sort((a, b) => b.startedAt - a.startedAt)
    .map((s) => ({
      s,
      now,
      kill,
      shareTitle: shares.find((x) => x.id === (s.shareId ?? s.broadcastTo))?.title,
      // The owner's own, not in a view here (the page was reloaded): it can be shown again.
      show: s.attendeeId === undefined && !shown.some((o) => o.id === s.id) ? () => add(s) : undefined,
    }));
  return (
    <DataTable
      data={rows}
      columns={sessionColumns}
      rowId={(r) => r.s.id}
      rowProps={(r) => ({ 'data-testid': `session-${r.original.s.node}`, 'data-session': r.original.s.id })}
      label="Open terminal sessions"
      testId="sessions-table"
      empty={<span className="muted">No terminal is open.</span>}
    />
  );
}
