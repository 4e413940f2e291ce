import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { autostartFile, desktopEntry, execArg, loginItem, type LoginItemApp } from './login-item';

function recordingApp(): LoginItemApp & { calls: unknown[] } {
  let on = false;
  const calls: unknown[] = [];
  return {
    calls,
    getLoginItemSettings: () => ({ openAtLogin: on }),
    setLoginItemSettings: (s) => {
      calls.push(s);
      on = s.openAtLogin;
    },
  };
}

describe('Desktop Entry Exec quoting', () => {
  it('leaves plain paths alone and quotes the rest per the spec', () => {
    expect(execArg('/usr/lib/clab-publisher/clab-publisher')).toBe('/usr/lib/clab-publisher/clab-publisher');
    expect(execArg('/home/a b/app')).toBe('"/home/a b/app"');
    // `$` escaped inside quotes, then the backslash doubled by the string escape: \\$
    expect(execArg('/opt/$HOME')).toBe('"/opt/\\\\$HOME"');
    expect(execArg('/opt/100%')).toBe('"/opt/100%%"');
    expect(() => execArg('/opt/a\nExec=evil')).toThrow(/line break/);
  });

  it('starts the app hidden (to its tray)', () => {
    const entry = desktopEntry(['/opt/clab publisher/clab-publisher']);
    expect(entry).toContain('Exec="/opt/clab publisher/clab-publisher" --hidden\n');
    expect(entry.startsWith('[Desktop Entry]\nType=Application\n')).toBe(true);
  });
});

describe('loginItem on Linux: an XDG autostart entry', () => {
  let config: string;
  beforeEach(() => {
    config = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-publisher-autostart-'));
  });
  afterEach(() => fs.rmSync(config, { recursive: true, force: true }));

  it('writes, reads and removes $XDG_CONFIG_HOME/autostart/clab-publisher.desktop', async () => {
    const app = recordingApp();
    const item = loginItem({ platform: 'linux', app, command: ['/usr/bin/clab-publisher'], env: { XDG_CONFIG_HOME: config } });
    const file = path.join(config, 'autostart', 'clab-publisher.desktop');
    expect(autostartFile({ XDG_CONFIG_HOME: config })).toBe(file);
    expect(await item.isEnabled()).toBe(false);
    await item.setEnabled(true);
    expect(fs.readFileSync(file, 'utf8')).toContain('Exec=/usr/bin/clab-publisher --hidden');
    expect(await item.isEnabled()).toBe(true);
    fs.appendFileSync(file, 'Hidden=true\n');
    expect(await item.isEnabled()).toBe(false);
    await item.setEnabled(false);
    expect(fs.existsSync(file)).toBe(false);
    await item.setEnabled(false); // already off: no error
    expect(app.calls).toEqual([]);
  });

  it('uses ~/.config when XDG_CONFIG_HOME is unset or relative', () => {
    expect(autostartFile({}, '/home/u')).toBe('/home/u/.config/autostart/clab-publisher.desktop');
    expect(autostartFile({ XDG_CONFIG_HOME: 'rel' }, '/home/u')).toBe('/home/u/.config/autostart/clab-publisher.desktop');
  });
});

describe('loginItem on macOS and Windows: Electron\'s login item', () => {
  it.each(['darwin', 'win32'] as const)('%s goes through app.setLoginItemSettings', async (platform) => {
    const app = recordingApp();
    const item = loginItem({ platform, app, command: ['x'] });
    await item.setEnabled(true);
    expect(await item.isEnabled()).toBe(true);
    expect(app.calls).toEqual([{ openAtLogin: true, args: ['--hidden'] }]);
  });

  it('is not offered elsewhere', () => {
    expect(loginItem({ platform: 'freebsd', app: recordingApp(), command: ['x'] }).supported).toBe(false);
  });
});
