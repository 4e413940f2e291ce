import { useEffect, useState, type ReactNode } from 'react';
import { copyText } from '../lib/clipboard';
import { useUiStore } from '../stores/use-ui-store';

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
  const showError = useUiStore((s) => s.showError);
  useEffect(() => {
    if (!copied) return;
    const t = setTimeout(() => setCopied(false), 1500);
    return () => clearTimeout(t);
  }, [copied]);

  const click = async () => {
    try {
      await copyText(text);
      setCopied(true);
    } catch (err) {
      showError(err, 'Copy failed');
    }
  };

  return (
    <button type="button" className="btn btn-small" title={`${title}: ${text}`} aria-label={title} data-testid={testId} data-copy={text} disabled={disabled} onClick={click}>
      {copied ? 'Copied' : children}
    </button>
  );
}
