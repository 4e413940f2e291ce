import '@xterm/xterm/css/xterm.css';
import './audience.css';
import { endedHtml, overviewHtml, untilText } from '../shared/audience-page-html';
import type { AudiencePage, ServerMessage } from '../shared/audience-protocol';
import { copyText } from './clipboard';
import { routeStyleElementsToConstructedSheets } from './constructed-styles';
import { PageSocket } from './page-socket';
import { TerminalView } from './terminal-view';
import { WatchView } from './watch-view';

/**
 * The audience page's script. The app already rendered everything a reader needs (the
 * commands work without this); the script keeps it live over the page's WebSocket, counts
 * down, and opens terminals and the organiser's live demo.
 */
function start(): void {
  const data = document.getElementById('page-data');
  const overview = document.getElementById('overview');
  // A page without state is a message (ended, not valid): nothing to keep live.
  if (!data || !overview) return;
  document.body.classList.add('js');
  routeStyleElementsToConstructedSheets();
  let page = JSON.parse(data.textContent ?? '{}') as AudiencePage;
  /** The app's clock minus ours: the countdown follows the app's. */
  let skew = page.serverNow - Date.now();
  const terminals = new Map<number, TerminalView>();
  let watch: WatchView | undefined;
  let nextRef = 1;
  const banner = document.createElement('p');
  banner.className = 'banner';
  banner.dataset.testid = 'page-connection';
  banner.hidden = true;
  overview.before(banner);

  const render = () => {
    overview.innerHTML = overviewHtml(page, Date.now() + skew);
  };
  const tick = () => {
    const el = overview.querySelector('[data-testid="page-until"]');
    if (el) el.textContent = untilText(page, Date.now() + skew);
  };
  setInterval(tick, 1000);

  const path = location.pathname.replace(/\/$/, '');
  const socket = new PageSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${path}/ws`, {
    open(again) {
      banner.hidden = true;
      // Terminals asked for before the socket was up go now.
      for (const [ref, v] of terminals) if (!v.sid && !v.requested) v.request(ref);
      if (!again) return;
      for (const [ref, v] of terminals) if (v.sid) v.reattach(ref);
      if (watch) socket.send({ t: 'watch', on: true });
    },
    down(ms) {
      banner.hidden = false;
      banner.textContent = `Connection lost: reconnecting in ${Math.ceil(ms / 1000)} s…`;
      for (const v of terminals.values()) v.down();
    },
    ended(reason) {
      for (const v of terminals.values()) v.dispose();
      terminals.clear();
      watch?.dispose();
      watch = undefined;
      banner.hidden = true;
      overview.innerHTML = endedHtml(reason);
      document.querySelector('.self-link')?.remove();
    },
    message: (m) => onMessage(m),
  });

  function onMessage(m: ServerMessage): void {
    switch (m.t) {
      case 'page':
        page = m.page;
        skew = page.serverNow - Date.now();
        return render();
      case 'opened':
        return terminals.get(m.ref)?.opened(m.sid, m.reattached);
      case 'data':
        return viewOf(m.sid)?.write(m.d);
      case 'exit':
        return viewOf(m.sid)?.exit(m.reason);
      case 'error':
        if (m.ref !== undefined) return terminals.get(m.ref)?.failed(m.message);
        return console.warn(`the app says: ${m.message}`);
      case 'watch-start':
        return watch?.start(m.node, m.backlog, m.cols && m.rows ? { cols: m.cols, rows: m.rows } : undefined);
      case 'watch-size':
        return watch?.size(m.cols, m.rows);
      case 'watch-data':
        return watch?.write(m.d);
      case 'watch-end':
        return watch?.end(m.reason);
    }
  }
  const viewOf = (sid: string) => [...terminals.values()].find((v) => v.sid === sid);

  document.addEventListener('click', (e) => {
    const el = (e.target as HTMLElement).closest('button');
    if (!el) return;
    if (el.classList.contains('copy') && el.dataset.copy !== undefined) {
      void copyText(el.dataset.copy).then((ok) => (el.textContent = ok ? 'Copied' : 'Copy failed'));
    } else if (el.classList.contains('open-terminal') && el.dataset.node) {
      const ref = nextRef++;
      const v = new TerminalView(el.dataset.node, ref, (m) => socket.send(m), () => terminals.delete(ref));
      terminals.set(ref, v);
      // Not connected yet (the page has just loaded, or the network dropped): sent once it is.
      if (socket.connected) v.request(ref);
    } else if (el.classList.contains('watch') && !watch) {
      document.body.classList.add('watching');
      watch = new WatchView(() => {
        socket.send({ t: 'watch', on: false });
        watch?.dispose();
        watch = undefined;
        document.body.classList.remove('watching');
      });
      socket.send({ t: 'watch', on: true });
    }
  });
}

start();
