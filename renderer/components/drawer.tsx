import { useEffect, useId, useRef, type ReactNode } from 'react';

interface Props {
  title: string;
  onClose: () => void;
  children: ReactNode;
  testId: string;
  closeTestId: string;
}

/** The side drawer (providers, accounts): takes focus when it opens, Escape closes it. */
export function Drawer({ title, onClose, children, testId, closeTestId }: Props) {
  const ref = useRef<HTMLElement>(null);
  const titleId = useId();
  const closeRef = useRef(onClose);
  useEffect(() => {
    closeRef.current = onClose;
  }, [onClose]);

  useEffect(() => {
    ref.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      // A modal above the drawer gets Escape first.
      if (e.key === 'Escape' && !document.querySelector('.modal')) closeRef.current();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <aside ref={ref} className="drawer" data-testid={testId} aria-labelledby={titleId} tabIndex={-1}>
      <header className="drawer-header">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="btn-icon" title="Close (Escape)" aria-label={`Close ${title.toLowerCase()}`} onClick={onClose} data-testid={closeTestId}>
          ×
        </button>
      </header>
      <div className="drawer-body">{children}</div>
    </aside>
  );
}
