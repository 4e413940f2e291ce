import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { transport } from './api';
import { App } from './app';
import { startSync } from './stores/sync';
import { startTunnelNotifications } from './stores/tunnel-notifications';
import { startShareNotifications } from './stores/share-notifications';
// Generic pieces first, so the layout's placement-specific rules win at equal specificity.
import './styles/base.css';
import './styles/controls.css';
import './styles/forms.css';
import './styles/overlays.css';
import './styles/tables.css';
import './styles/topology.css';
import './styles/accounts.css';
import './styles/logs.css';
import './styles/hosts.css';
import './styles/shares.css';
import './styles/terminals.css';
import './styles/layout.css';

startSync(transport);
startTunnelNotifications();
startShareNotifications();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
