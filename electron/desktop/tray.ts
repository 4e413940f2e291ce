/**
 * The tray icon: how many tunnels are online (from the core's `tunnels.changed` snapshots) and
 * a few quick actions that cannot lose anything: show or hide the window, open the logs
 * folder, open at login, quit (which closes every tunnel cleanly, as the window's Quit does).
 * No "stop all tunnels" here: that would drop people's connections from a menu one mis-click
 * away; the window has the per-tunnel controls.
 */
import { Menu, Tray, type MenuItemConstructorOptions, type NativeImage } from 'electron';
import type { Tunnel } from '../../shared/model';

export interface TrayActions {
  isWindowVisible(): boolean;
  showWindow(): void;
  hideWindow(): void;
  openLogsFolder(): void;
  /** Undefined when this platform has no login item. */
  openAtLogin(): boolean | undefined;
  setOpenAtLogin(on: boolean): void;
  quit(): void;
}

export interface TunnelSummary {
  online: number;
  total: number;
  failed: number;
  text: string;
}

/** "2/3 tunnels online, 1 failed": the same count as the window's top bar (state `online`). */
export function summarizeTunnels(tunnels: readonly Pick<Tunnel, 'state'>[]): TunnelSummary {
  const online = tunnels.filter((t) => t.state === 'online').length;
  const failed = tunnels.filter((t) => t.state === 'failed').length;
  const total = tunnels.length;
  const text = total === 0 ? 'No tunnels' : `${online}/${total} tunnel${total === 1 ? '' : 's'} online${failed ? `, ${failed} failed` : ''}`;
  return { online, total, failed, text };
}

export interface AppTray {
  update(tunnels: readonly Tunnel[]): void;
  /** Rebuild the menu (window shown or hidden, login item changed). */
  refresh(): void;
  destroy(): void;
}

export function createAppTray(icon: NativeImage, actions: TrayActions, platform: NodeJS.Platform = process.platform): AppTray {
  const tray = new Tray(icon);
  let summary = summarizeTunnels([]);

  const menu = (): MenuItemConstructorOptions[] => {
    const visible = actions.isWindowVisible();
    const atLogin = actions.openAtLogin();
    return [
      { id: 'summary', label: summary.text, enabled: false },
      { type: 'separator' },
      visible ? { id: 'hide', label: 'Hide clab-publisher', click: () => actions.hideWindow() } : { id: 'show', label: 'Show clab-publisher', click: () => actions.showWindow() },
      { id: 'logs', label: 'Open Logs Folder', click: () => actions.openLogsFolder() },
      ...(atLogin === undefined ? [] : [{ id: 'open-at-login', label: 'Open at Login', type: 'checkbox' as const, checked: atLogin, click: () => actions.setOpenAtLogin(!atLogin) }]),
      { type: 'separator' },
      { id: 'quit', label: 'Quit (closes all tunnels)', click: () => actions.quit() },
    ];
  };

  const refresh = () => {
    if (tray.isDestroyed()) return;
    tray.setToolTip(`clab-publisher: ${summary.text}`);
    // macOS shows text next to the icon; elsewhere the tooltip and the menu's first line carry it.
    if (platform === 'darwin') tray.setTitle(summary.total ? `${summary.online}/${summary.total}` : '');
    tray.setContextMenu(Menu.buildFromTemplate(menu()));
  };

  // Linux and Windows: a click on the icon brings the window up (macOS opens the menu).
  tray.on('click', () => actions.showWindow());
  refresh();

  return {
    update(tunnels) {
      const next = summarizeTunnels(tunnels);
      if (next.text === summary.text) return;
      summary = next;
      refresh();
    },
    refresh,
    destroy: () => {
      if (!tray.isDestroyed()) tray.destroy();
    },
  };
}
