import type { Lab } from '../../../shared/model';
import { useLabsStore } from '../../stores/use-labs-store';
import { labKey, useUiStore } from '../../stores/use-ui-store';

/** The lab the user picked, or the first one when none was picked or it went away. */
export function useSelectedLab(): Lab | undefined {
  const labs = useLabsStore((s) => s.items);
  const key = useUiStore((s) => s.selectedLab);
  return labs.find((l) => labKey(l.host, l.name) === key) ?? labs[0];
}
