import { useState } from 'react';
import type { VisibilityState } from '@tanstack/react-table';

const PREFIX = 'clab-publisher.columns.';

type Store = Pick<Storage, 'getItem' | 'setItem'>;

/**
 * The columns a table hides, as remembered in localStorage (`{ "<column id>": false }`).
 * Anything unexpected is dropped: another version's column ids, a column that may not be
 * hidden (the actions), values that are not booleans, text that is not JSON.
 */
export function loadVisibility(table: string, hideable: readonly string[], store?: Store): VisibilityState {
  try {
    // Inside the try: reaching localStorage throws where the site may not store anything.
    const parsed: unknown = JSON.parse((store ?? window.localStorage).getItem(PREFIX + table) ?? '{}');
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
    return Object.fromEntries(Object.entries(parsed).filter(([id, shown]) => hideable.includes(id) && typeof shown === 'boolean'));
  } catch {
    return {};
  }
}

export function saveVisibility(table: string, visibility: VisibilityState, store?: Store): void {
  try {
    (store ?? window.localStorage).setItem(PREFIX + table, JSON.stringify(visibility));
  } catch {
    // Private mode or full: the choice lasts until the page reloads.
  }
}

/** A table's column choice, kept across reloads. */
export function useColumnVisibility(table: string, hideable: readonly string[]) {
  const [visibility, set] = useState(() => loadVisibility(table, hideable));
  const setVisibility = (next: VisibilityState) => {
    set(next);
    saveVisibility(table, next);
  };
  return { visibility, setVisibility };
}
