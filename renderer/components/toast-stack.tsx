import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useUiStore, type Toast } from '../stores/use-ui-store';

const INFO_MS = 8000;

function ToastItem({ t }: { t: Toast }) {
  const dismiss = useUiStore((s) => s.dismissToast);
  // Confirmations go away by themselves; errors wait to be read.
  useEffect(() => {
    if (t.tone !== 'info') return;
    const timer = setTimeout(() => dismiss(t.id), INFO_MS);
    return () => clearTimeout(timer);
  }, [t.id, t.tone, dismiss]);
  return (
    <div className={`toast toast-${t.tone}`} role={t.tone === 'info' ? 'status' : 'alert'} data-testid="toast" data-tone={t.tone}>
      <div className="toast-body">
        <div className="toast-message">{t.message}</div>
        {t.hint ? <div className="toast-hint">{t.hint}</div> : null}
      </div>
      <button type="button" className="btn-icon" title="Dismiss" aria-label="Dismiss this message" onClick={() => dismiss(t.id)}>
        ×
      </button>
    </div>
  );
}

/** Errors from any action (message, what to do about it) and short confirmations. */
export function ToastStack() {
  const toasts = useUiStore(useShallow((s) => s.toasts));
  if (toasts.length === 0) return null;
  return (
    <div className="toast-stack" role="region" aria-label="Messages">
      {toasts.map((t) => (
        <ToastItem key={t.id} t={t} />
      ))}
    </div>
  );
}
