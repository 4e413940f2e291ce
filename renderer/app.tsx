import { ToastStack } from './components/toast-stack';
import { useConnectionStore } from './stores/use-connection-store';
import { AccountsPanel } from './views/border0/accounts-panel';
import { Banners } from './views/layout/banners';
import { LabSidebar } from './views/labs/lab-sidebar';
import { LogsPanel } from './views/logs/logs-panel';
import { NodeTable } from './views/labs/node-table';
import { ProvidersPanel } from './views/providers/providers-panel';
import { PublishDialogHost } from './views/publish/publish-dialog';
import { ShareDialogHost } from './views/shares/share-dialog';
import { SharesSection } from './views/shares/shares-section';
import { TerminalsSection } from './views/terminals/terminals-section';
import { TopBar } from './views/layout/top-bar';
import { TunnelsTable } from './views/tunnels/tunnels-table';
import { useSelectedLab } from './views/labs/use-selected-lab';

function Main() {
  const lab = useSelectedLab();
  return (
    <main className="main" aria-label="Lab and published ports" data-scroll-area>
      {lab ? (
        <NodeTable lab={lab} />
      ) : (
        <section className="panel panel-empty">
          <p className="muted">No lab to show yet: its nodes and their ports appear here once a lab runs.</p>
        </section>
      )}
      <TunnelsTable />
      <SharesSection />
      <TerminalsSection />
    </main>
  );
}

export function App() {
  // While the host is unreachable the data is frozen: say so visually, too.
  const stale = useConnectionStore((s) => s.state !== 'open' && s.state !== 'connecting');
  return (
    <div className={`app${stale ? ' is-stale' : ''}`}>
      <TopBar />
      <Banners />
      <div className="workspace">
        <LabSidebar />
        <Main />
        <ProvidersPanel />
        <AccountsPanel />
      </div>
      <LogsPanel />
      <PublishDialogHost />
      <ShareDialogHost />
      <ToastStack />
    </div>
  );
}
