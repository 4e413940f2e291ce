/**
 * The application menu: the usual roles, so the usual shortcuts work (copy and paste in the
 * forms, reload, zoom, full screen, minimize, close), plus the app's own: logs and data
 * folders, open at login, help. Developer tools only when not packaged.
 */
import type { MenuItemConstructorOptions } from 'electron';

export const CONTAINERLAB_DOCS_URL = 'https://containerlab.dev/';

export interface AppMenuActions {
  openLogsFolder(): void;
  openDataFolder(): void;
  openReadme(): void;
  openExternal(url: string): void;
  /** Undefined when this platform has no login item. */
  openAtLogin(): boolean | undefined;
  setOpenAtLogin(on: boolean): void;
}

export interface AppMenuOptions {
  platform: NodeJS.Platform;
  /** Packaged: no developer tools. */
  isPackaged: boolean;
  appName: string;
}

export function appMenuTemplate(opts: AppMenuOptions, actions: AppMenuActions): MenuItemConstructorOptions[] {
  const mac = opts.platform === 'darwin';
  const atLogin = actions.openAtLogin();
  const loginItem: MenuItemConstructorOptions[] =
    atLogin === undefined ? [] : [{ id: 'open-at-login', label: 'Open at Login', type: 'checkbox', checked: atLogin, click: () => actions.setOpenAtLogin(!atLogin) }];
  const folders: MenuItemConstructorOptions[] = [
    { id: 'open-logs', label: 'Open Logs Folder', click: () => actions.openLogsFolder() },
    { id: 'open-data', label: 'Open Data Folder', click: () => actions.openDataFolder() },
  ];

  const appMenu: MenuItemConstructorOptions[] = mac
    ? [{ label: opts.appName, submenu: [{ role: 'about' }, { type: 'separator' }, ...loginItem, { type: 'separator' }, { role: 'services' }, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' }, { role: 'quit' }] }]
    : [];
  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: mac ? [...folders, { type: 'separator' }, { role: 'close' }] : [...folders, { type: 'separator' }, ...loginItem, { type: 'separator' }, { role: 'quit' }],
  };
  const edit: MenuItemConstructorOptions = {
    label: '&Edit',
    submenu: [{ role: 'undo' }, { role: 'redo' }, { type: 'separator' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'pasteAndMatchStyle' }, { role: 'delete' }, { type: 'separator' }, { role: 'selectAll' }],
  };
  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      { role: 'reload' },
      { role: 'forceReload' },
      ...(opts.isPackaged ? [] : [{ role: 'toggleDevTools' } as const]),
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
  const window: MenuItemConstructorOptions = {
    label: '&Window',
    submenu: mac ? [{ role: 'minimize' }, { role: 'zoom' }, { type: 'separator' }, { role: 'front' }] : [{ role: 'minimize' }, { role: 'close' }],
  };
  const help: MenuItemConstructorOptions = {
    label: '&Help',
    role: 'help',
    submenu: [
      { id: 'readme', label: 'clab-publisher README', click: () => actions.openReadme() },
      { id: 'containerlab-docs', label: 'containerlab Documentation', click: () => actions.openExternal(CONTAINERLAB_DOCS_URL) },
      { type: 'separator' },
      { id: 'help-logs', label: 'Open Logs Folder', click: () => actions.openLogsFolder() },
      ...(mac ? [] : [{ type: 'separator' } as const, { role: 'about' } as const]),
    ],
  };
  return [...appMenu, file, edit, view, window, help];
}
