import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';

interface Props {
  title: string;
  onClose: () => void;
  children: ReactNode;
  testId?: string;
}

/** A modal dialog: Escape closes, focus stays inside, the page behind is inert. */
export function Modal({ title, onClose, children, testId }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const closeRef = useRef(onClose);
  useEffect(() => {
    closeRef.current = onClose;
  }, [onClose]);
  // Read while rendering, before autoFocus moves focus into the dialog.
  const [returnTo] = useState(() => document.activeElement as HTMLElement | null);
  useEffect(() => {
    // On the window, so Escape works even when focus wandered outside the dialog.
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key === 'Escape') closeRef.current();
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      if (returnTo?.isConnected) returnTo.focus();
    };
  }, [returnTo]);

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Tab' && ref.current) {
      const items = ref.current.querySelectorAll<HTMLElement>('button:not(:disabled), select:not(:disabled), input:not(:disabled), [tabindex="0"]');
      if (items.length === 0) return;
      const first = items[0];
      const last = items[items.length - 1];
      if (e.shiftKey && document.activeElement === first) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && document.activeElement === last) {
        e.preventDefault();
        first.focus();
      }
    }
  };

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div ref={ref} className="modal" role="dialog" aria-modal="true" aria-labelledby={titleId} data-testid={testId} onKeyDown={onKeyDown}>
        <header className="modal-header">
          <h2 id={titleId}>{title}</h2>
          <button type="button" className="btn-icon" title="Close (Escape)" aria-label="Close" onClick={onClose}>
            ×
          </button>
        </header>
        {children}
      </div>
    </div>
  );
}
