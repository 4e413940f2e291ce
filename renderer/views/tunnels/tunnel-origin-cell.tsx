import type { Tunnel } from '../../../shared/model';
import { baseName } from '../../lib/format';
import { useAction } from '../../lib/use-action';
import { useLabTopology } from '../../stores/use-topology-store';

export type SaveToFile = (t: Tunnel) => Promise<{ file: string; line: number; backupFile: string }>;

/** Writes a publication made in the UI into its node's `publish` list. */
function SaveToFileButton({ t, file, onSave }: { t: Tunnel; file: string; onSave: SaveToFile }) {
  const save = useAction(onSave, {
    success: (r) => ({ message: `Saved ${t.name} to ${baseName(r.file)}:${r.line} (backup: ${baseName(r.backupFile)})`, hint: `The previous version is kept as ${r.backupFile}.` }),
    failure: `Saving ${t.name} to ${baseName(file)} failed`,
  });
  return (
    <button
      type="button"
      className="btn btn-small"
      disabled={save.busy}
      onClick={() => void save.run(t)}
      data-testid="tunnel-save"
      title={`Add this publication to ${t.node}'s publish list in ${file} (a backup of the file is kept)`}
    >
      {save.busy ? 'Saving…' : 'Save to file'}
    </button>
  );
}

/** Where a publication comes from: a line of the topology file, or a click in this UI. */
export function TunnelOriginCell({ t, onSave }: { t: Tunnel; onSave: SaveToFile }) {
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
      {file ? <SaveToFileButton t={t} file={file} onSave={onSave} /> : null}
    </div>
  );
}
