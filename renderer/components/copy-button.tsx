import type { ReactNode } from 'react';
import { copyText } from '../lib/clipboard';
import { useAction } from '../lib/use-action';
import { useTimedFlag } from '../lib/use-timed-flag';

interface Props {
  text: string;
  title: string;
  children: ReactNode;
  testId?: string;
  disabled?: boolean;
}

/** Copies `text`, saying "Copied" for a moment. */
export function CopyButton({ text, title, children, testId, disabled }: Props) {
  const [copied, markCopied] = useTimedFlag(1500);
  const copy = useAction(copyText, { failure: 'Copy failed', then: markCopied });

  return (
    <button type="button" className="btn btn-small" title={`${title}: ${text}`} aria-label={title} data-testid={testId} data-copy={text} disabled={disabled} onClick={() => void copy.run(text)}>
      {copied ? 'Copied' : children}
    </button>
  );
}
