import { useShallow } from 'zustand/react/shallow';
import { useUiStore } from '../stores/use-ui-store';

/** Errors from any action: message, what to do about it, dismissible. */
export function ToastStack() {
  const toasts = useUiStore(useShallow((s) => s.toasts));
  const dismiss = useUiStore((s) => s.dismissToast);
  if (toasts.length === 0) return null;
  return (
    <div className="toast-stack" role="region" aria-label="Errors">
      {toasts.map((t) => (
        <div key={t.id} className="toast" role="alert" data-testid="toast">
          <div className="toast-body">
            <div className="toast-message">{t.message}</div>
            {t.hint ? <div className="toast-hint">{t.hint}</div> : null}
          </div>
          <button type="button" className="btn-icon" title="Dismiss" aria-label="Dismiss this error" onClick={() => dismiss(t.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
