import { useEffect, useState, type ReactNode } from 'react';
import { copyText } from '../lib/clipboard';
import { useAction } from '../lib/use-action';

interface Props {
  text: string;
  title: string;
  children: ReactNode;
  testId?: string;
  disabled?: boolean;
}

/** Copies `text`, saying "Copied" for a moment. */
export function CopyButton({ text, title, children, testId, disabled }: Props) {
  const [copied, setCopied] = useState(false);
  const copy = useAction(copyText, { failure: 'Copy failed', then: () => setCopied(true) });
  useEffect(() => {
    if (!copied) return;
    const t = setTimeout(() => setCopied(false), 1500);
    return () => clearTimeout(t);
  }, [copied]);

  return (
    <button type="button" className="btn btn-small" title={`${title}: ${text}`} aria-label={title} data-testid={testId} data-copy={text} disabled={disabled} onClick={() => void copy.run(text)}>
      {copied ? 'Copied' : children}
    </button>
  );
}
