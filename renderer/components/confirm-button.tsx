import { useState, type ReactNode } from 'react';
import { useTimedFlag } from '../lib/use-timed-flag';

interface Props {
  onConfirm: () => unknown;
  children: ReactNode;
  title: string;
  testId?: string;
  className?: string;
  /** How long the "Confirm?" state lasts. */
  windowMs?: number;
}

/** Destructive action in two clicks: the button turns into "Confirm?" for a few seconds. */
export function ConfirmButton({ onConfirm, children, title, testId, className = 'btn btn-small btn-danger', windowMs = 3000 }: Props) {
  const [armed, arm, disarm] = useTimedFlag(windowMs);
  const [busy, setBusy] = useState(false);

  const click = async () => {
    if (!armed) return arm();
    disarm();
    setBusy(true);
    try {
      await onConfirm();
    } finally {
      setBusy(false);
    }
  };

  return (
    <button
      type="button"
      className={`${className}${armed ? ' is-armed' : ''}`}
      title={armed ? `Click again to confirm: ${title}` : title}
      aria-label={armed ? `Confirm: ${title}` : title}
      data-testid={testId}
      disabled={busy}
      onClick={click}
      onBlur={disarm}
    >
      {armed ? 'Confirm?' : children}
    </button>
  );
}
