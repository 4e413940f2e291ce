import { useEffect, useState } from 'react';

/** A "Saved" flag that clears itself after a moment. */
export function useSaved(ms = 2000): [boolean, () => void] {
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (!saved) return;
    const t = setTimeout(() => setSaved(false), ms);
    return () => clearTimeout(t);
  }, [saved, ms]);
  return [saved, () => setSaved(true)];
}
