import { useEffect, useState } from 'react';

/**
 * A flag that clears itself `ms` after it was set: "Saved", "Copied", a button armed for
 * confirmation. Returns the flag, a setter to raise it and one to drop it early.
 */
export function useTimedFlag(ms: number): [boolean, () => void, () => void] {
  const [on, setOn] = useState(false);
  useEffect(() => {
    if (!on) return;
    const t = setTimeout(() => setOn(false), ms);
    return () => clearTimeout(t);
  }, [on, ms]);
  return [on, () => setOn(true), () => setOn(false)];
}
