import { useState } from 'react';
import type { Tunnel } from '../../../shared/model';
import { api } from '../../api';
import { baseName } from '../../lib/format';
import { useLabTopology } from '../../stores/use-topology-store';
import { useUiStore } from '../../stores/use-ui-store';

/** Writes a publication made in the UI into its node's `publish` list. */
function SaveToFileButton({ t, file }: { t: Tunnel; file: string }) {
  const showError = useUiStore((s) => s.showError);
  const showInfo = useUiStore((s) => s.showInfo);
  const [busy, setBusy] = useState(false);
  const save = async () => {
    setBusy(true);
    try {
      const r = await api['topology.saveToFile']({ publicationId: t.publicationId });
      showInfo(`Saved ${t.name} to ${baseName(r.file)}:${r.line} (backup: ${baseName(r.backupFile)})`, `The previous version is kept as ${r.backupFile}.`);
    } catch (err) {
      showError(err, `Saving ${t.name} to ${baseName(file)} failed`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <button
      type="button"
      className="btn btn-small"
      disabled={busy}
      onClick={save}
      data-testid="tunnel-save"
      title={`Add this publication to ${t.node}'s publish list in ${file} (a backup of the file is kept)`}
    >
      {busy ? 'Saving…' : 'Save to file'}
    </button>
  );
}

/** Where a publication comes from: a line of the topology file, or a click in this UI. */
export function TunnelOriginCell({ t }: { t: Tunnel }) {
  const topo = useLabTopology(t.host, t.lab);
  if (t.origin === 'topology') {
    const src = t.source;
    return (
      <span className="origin origin-file mono" data-testid="tunnel-origin" title={src ? `${src.file}:${src.line}:${src.column}  ${src.text}` : 'published by the topology file'}>
        {src ? `${baseName(src.file)}:${src.line}` : 'file'}
      </span>
    );
  }
  const file = topo?.report ? topo.file : undefined;
  return (
    <div className="origin-cell">
      <span className="origin origin-ui" data-testid="tunnel-origin" title="Published from this UI; not in the topology file">
        UI
      </span>
      {file ? <SaveToFileButton t={t} file={file} /> : null}
    </div>
  );
}
