import { useState, type FormEvent } from 'react';
import type { LabTopologyState } from '../../../shared/topology-model';
import { FormError } from '../../components/form-error';
import { useAction } from '../../lib/use-action';
import { openTopologyFile } from './actions';

const SOURCE_TEXT = { label: 'from the container label', user: 'opened by you' } as const;

/** A path on the machine running the core (the headless host has no file picker). */
function OpenFileForm({ host, lab, onDone }: { host: string; lab: string; onDone?: () => void }) {
  const [path, setPath] = useState('');
  const [other, setOther] = useState<string | null>(null);
  const opening = useAction(openTopologyFile, {
    then: (state) => {
      if (state.lab !== lab) setOther(state.lab);
      else {
        setPath('');
        onDone?.();
      }
    },
  });

  const open = (e: FormEvent) => {
    e.preventDefault();
    if (!path.trim()) return;
    setOther(null);
    void opening.run(host, path.trim());
  };

  return (
    <form className="topo-open" onSubmit={open}>
      <input
        type="text"
        value={path}
        onChange={(e) => setPath(e.target.value)}
        placeholder={`/path/to/${lab}.clab.yml`}
        aria-label="Topology file path"
        spellCheck={false}
        data-testid="topology-path"
      />
      <button type="submit" className="btn btn-small" disabled={opening.busy || !path.trim()} data-testid="topology-open" title="Read this topology file on the lab host">
        {opening.busy ? 'Opening…' : 'Open'}
      </button>
      {onDone ? (
        <button type="button" className="btn btn-small" onClick={onDone} title="Keep the current file">
          Cancel
        </button>
      ) : null}
      <FormError error={opening.error} className="topo-open-error" testId="topology-open-error" />
      {other ? (
        <div className="help topo-open-error" role="status">
          That file describes lab &quot;{other}&quot;, not &quot;{lab}&quot;: it is used when {other} runs.
        </div>
      ) : null}
    </form>
  );
}

/** The lab's topology file and where it came from, or a way to name one. */
export function TopologyFile({ host, lab, state }: { host: string; lab: string; state?: LabTopologyState }) {
  const [changing, setChanging] = useState(false);
  if (!state?.file) {
    return (
      <div className="topo-file">
        <span className="muted" data-testid="topology-file">no topology file</span>
        <OpenFileForm host={host} lab={lab} />
      </div>
    );
  }
  return (
    <div className="topo-file">
      <code className="ellipsis topo-path" data-testid="topology-file" title={state.file}>
        {state.file}
      </code>
      <span className="muted nowrap" data-testid="topology-file-source">{state.fileSource ? SOURCE_TEXT[state.fileSource] : ''}</span>
      {changing ? (
        <OpenFileForm host={host} lab={lab} onDone={() => setChanging(false)} />
      ) : (
        <button type="button" className="btn-link" onClick={() => setChanging(true)} data-testid="topology-change" title="Use another topology file for this lab">
          change
        </button>
      )}
    </div>
  );
}
