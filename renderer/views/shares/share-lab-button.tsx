import type { Lab } from '../../../shared/model';
import { usePublicationsStore } from '../../stores/use-publications-store';
import { useUiStore } from '../../stores/use-ui-store';

/** "Share this lab": the lab's published ports to an audience, in one dialog. */
export function ShareLabButton({ lab }: { lab: Lab }) {
  const open = useUiStore((s) => s.openShareDialog);
  const published = usePublicationsStore((s) => s.items.filter((p) => p.host === lab.host && p.lab === lab.name).length);
  return (
    <button
      type="button"
      className="btn btn-small"
      onClick={() => open({ host: lab.host, lab: lab.name })}
      disabled={published === 0}
      title={published ? `Share the ${published} published port(s) of ${lab.name}: a card with commands, an expiry, allowed sources, an audit` : 'Publish a port of this lab first (click its chip)'}
      data-testid="share-lab"
    >
      Share this lab
    </button>
  );
}
