import { useHostsStore } from '../stores/use-hosts-store';

/** The lab host's name where it is not this computer (`local` shows nothing). */
export function HostTag({ host, testId = 'host-tag' }: { host: string; testId?: string }) {
  const label = useHostsStore((s) => s.items.find((h) => h.id === host)?.label);
  const address = useHostsStore((s) => s.items.find((h) => h.id === host)?.address);
  if (host === 'local') return null;
  return (
    <span className="host-tag" title={address ? `on lab host ${label ?? host} (${address})` : `on lab host ${label ?? host}`} data-testid={testId}>
      {label ?? host}
    </span>
  );
}
