import { formatCountdown } from '../lib/format';
import { useNow } from '../lib/use-now';

interface Props {
  /** Epoch ms. */
  at: number;
  prefix?: string;
  className?: string;
  testId?: string;
}

/** "retry in 12 s", ticking every second. */
export function Countdown({ at, prefix = 'retry ', className, testId }: Props) {
  const now = useNow();
  return (
    <span className={className ?? 'countdown'} data-testid={testId}>
      {prefix}
      {formatCountdown(at, now)}
    </span>
  );
}
