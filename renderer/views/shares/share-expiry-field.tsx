import { EXPIRY_PRESET_LABELS, EXPIRY_PRESETS, type ExpiryPreset } from '../../../shared/share-model';

export type ExpiryChoice = ExpiryPreset | 'never' | 'custom';

/** The `until` parameter from the choice; a custom time is read as local time. */
export function untilOf(choice: ExpiryChoice, custom: string): ExpiryPreset | 'never' | number {
  if (choice !== 'custom') return choice;
  const at = new Date(custom).getTime();
  // An empty or unreadable field goes to the core as 0: refused there with the field named.
  return Number.isFinite(at) ? at : 0;
}

/** `YYYY-MM-DDTHH:MM` in local time, for a datetime-local input. */
export function localInputValue(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

interface Props {
  choice: ExpiryChoice;
  custom: string;
  onChoice: (c: ExpiryChoice) => void;
  onCustom: (v: string) => void;
  testId: string;
}

/** Presets, a custom time, or no end. */
export function ExpiryField({ choice, custom, onChoice, onCustom, testId }: Props) {
  return (
    <div className="expiry-field">
      <select value={choice} onChange={(e) => onChoice(e.target.value as ExpiryChoice)} data-testid={testId} aria-label="Shared until">
        {EXPIRY_PRESETS.map((p) => (
          <option key={p} value={p}>
            {EXPIRY_PRESET_LABELS[p]}
          </option>
        ))}
        <option value="custom">Custom time…</option>
        <option value="never">Until I stop sharing</option>
      </select>
      {choice === 'custom' ? (
        <input type="datetime-local" value={custom} onChange={(e) => onCustom(e.target.value)} data-testid={`${testId}-custom`} aria-label="Custom end time (local)" />
      ) : null}
    </div>
  );
}
