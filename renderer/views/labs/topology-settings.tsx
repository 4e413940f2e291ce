import type { LabTopologyState } from '../../../shared/topology-model';
import { useProvidersStore } from '../../stores/use-providers-store';
import { useConfigure, type Patch } from './use-topology-configure';

/** Grammar override, auto-publish and provider: the lab's publish settings. */
export function TopologySettings({ state }: { state: LabTopologyState }) {
  const providers = useProvidersStore((s) => s.items);
  const { pending, configure } = useConfigure(state);
  const grammar = 'grammar' in pending ? (pending.grammar ?? '') : (state.grammarOverride ?? '');
  const autoPublish = pending.autoPublish ?? state.autoPublish;
  const provider = pending.provider ?? state.provider;
  const report = state.report;
  const detected = report?.grammarSource === 'detected' ? report.grammar : undefined;
  const grammarTitle = report
    ? `Publish entries are read in the ${report.grammar} grammar: ${report.grammarReason}`
    : 'Which containerlab era\u2019s publish grammar the file is read in';
  const known = providers.some((p) => p.id === provider);

  return (
    <>
      <label className="topo-setting" title={grammarTitle}>
        <span className="topo-label">grammar</span>
        <select
          value={grammar}
          onChange={(e) => void configure({ grammar: (e.target.value || null) as Patch['grammar'] }, 'the publish grammar')}
          data-testid="topology-grammar"
        >
          <option value="">{detected ? `detect (${detected})` : 'detect'}</option>
          <option value="mysocketio">mysocketio</option>
          <option value="border0">border0</option>
        </select>
      </label>
      <label className="check topo-setting" title={`Default for this file: ${state.autoPublishDefault ? 'on' : 'off'} (on when it has publish entries)`}>
        <input
          type="checkbox"
          checked={autoPublish}
          onChange={(e) => void configure({ autoPublish: e.target.checked }, 'auto-publish')}
          data-testid="topology-autopublish"
        />
        Publish the file&apos;s entries when the lab runs
      </label>
      <label className="topo-setting" title="Provider the file's publish entries go through">
        <span className="topo-label">via</span>
        <select value={provider} onChange={(e) => void configure({ provider: e.target.value }, 'the provider')} data-testid="topology-provider">
          {known ? null : <option value={provider}>{provider}</option>}
          {providers.map((p) => (
            <option key={p.id} value={p.id} disabled={!p.configured && p.id !== provider}>
              {p.label}
              {p.configured ? '' : ' (not configured)'}
            </option>
          ))}
        </select>
      </label>
    </>
  );
}
