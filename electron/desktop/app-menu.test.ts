import { describe, expect, it } from 'vitest';
import { appMenuTemplate, type AppMenuActions } from './app-menu';

const actions: AppMenuActions = { openLogsFolder() {}, openDataFolder() {}, openReadme() {}, openExternal() {}, openAtLogin: () => true, setOpenAtLogin() {} };
const roles = (items: unknown) => (items as { role?: string; id?: string; type?: string }[]).map((i) => i.role ?? i.id ?? i.type);

// The built bundle's menu on Linux is tested in electron/bundle-tests; macOS differs here.
describe('the application menu on macOS', () => {
  it('has the app menu first, with about, the login item and quit; Window has zoom and front', () => {
    const t = appMenuTemplate({ platform: 'darwin', isPackaged: true, appName: 'clab-publisher' }, actions);
    expect(t.map((m) => m.label)).toEqual(['clab-publisher', '&File', '&Edit', '&View', '&Window', '&Help']);
    expect(roles(t[0].submenu)).toEqual(['about', 'separator', 'open-at-login', 'separator', 'services', 'separator', 'hide', 'hideOthers', 'unhide', 'separator', 'quit']);
    expect(roles(t[1].submenu)).toEqual(['open-logs', 'open-data', 'separator', 'close']);
    expect(roles(t[4].submenu)).toEqual(['minimize', 'zoom', 'separator', 'front']);
    expect(roles(t[5].submenu)).not.toContain('about');
  });

  it('leaves the login item out where the platform has none', () => {
    const t = appMenuTemplate({ platform: 'linux', isPackaged: true, appName: 'x' }, { ...actions, openAtLogin: () => undefined });
    expect(JSON.stringify(t)).not.toContain('open-at-login');
  });
});
