import type { Problem } from '../api/api-error';

/** A form's failure in place: what happened and, when known, what to do (every form uses this). */
export function FormError({ error, testId, className }: { error: Problem | null; testId: string; className?: string }) {
  if (!error) return null;
  return (
    <div className={className ? `form-error ${className}` : 'form-error'} role="alert" data-testid={testId}>
      <div>{error.message}</div>
      {error.hint ? <div className="hint">{error.hint}</div> : null}
    </div>
  );
}
