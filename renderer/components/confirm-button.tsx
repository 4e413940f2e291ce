import { useEffect, useState, type ReactNode } from 'react';

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
  const [armed, setArmed] = useState(false);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!armed) return;
    const t = setTimeout(() => setArmed(false), windowMs);
    return () => clearTimeout(t);
  }, [armed, windowMs]);

  const click = async () => {
    if (!armed) return setArmed(true);
    setArmed(false);
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
      onBlur={() => setArmed(false)}
    >
      {armed ? 'Confirm?' : children}
    </button>
  );
}
