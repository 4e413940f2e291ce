/**
 * "Open at login". macOS and Windows have it in Electron (`app.setLoginItemSettings`); Linux
 * does not, so there the app writes the freedesktop.org autostart entry that every desktop
 * honours: `$XDG_CONFIG_HOME/autostart/clab-publisher.desktop`. Pure Node plus an injected
 * `app`, so it is tested without the binary. Started at login, the app opens to its tray.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readSmallFile, writeFileAtomic } from './small-file';

export const START_HIDDEN_ARG = '--hidden';
const DESKTOP_FILE = 'clab-publisher.desktop';

export interface LoginItemApp {
  getLoginItemSettings(): { openAtLogin: boolean };
  setLoginItemSettings(settings: { openAtLogin: boolean; args?: string[] }): void;
}

export interface LoginItemDeps {
  platform: NodeJS.Platform;
  app: LoginItemApp;
  /** The command that starts this app: executable first, then its arguments. */
  command: string[];
  env?: NodeJS.ProcessEnv;
  homedir?: string;
}

export interface LoginItem {
  readonly supported: boolean;
  isEnabled(): Promise<boolean>;
  setEnabled(on: boolean): Promise<void>;
}

export function autostartFile(env: NodeJS.ProcessEnv = process.env, homedir = os.homedir()): string {
  const config = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(homedir, '.config');
  return path.join(config, 'autostart', DESKTOP_FILE);
}

/**
 * One Exec argument per the Desktop Entry spec (docs/desktop-shell.md): quoted when it holds anything but plain
 * characters, with `"`, `` ` ``, `$` and `\` escaped inside the quotes, then backslashes doubled
 * again for the string escape the spec applies first, and `%` doubled (field codes).
 */
export function execArg(arg: string): string {
  if (/[\n\r\0]/.test(arg)) throw new Error(`cannot start "${arg.slice(0, 80)}" at login: its path holds a line break`);
  const quoted = /^[A-Za-z0-9_/.+,:=@-]+$/.test(arg) ? arg : `"${arg.replace(/["`$\\]/g, '\\$&')}"`;
  return quoted.replace(/\\/g, '\\\\').replace(/%/g, '%%');
}

export function desktopEntry(command: string[]): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=clab-publisher',
    'Comment=Publish containerlab node ports (started at login)',
    `Exec=${[...command, START_HIDDEN_ARG].map(execArg).join(' ')}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

export function loginItem(deps: LoginItemDeps): LoginItem {
  if (deps.platform === 'darwin' || deps.platform === 'win32') {
    return {
      supported: true,
      isEnabled: async () => deps.app.getLoginItemSettings().openAtLogin,
      // args: Windows passes them to the app at login; macOS ignores them.
      setEnabled: async (on) => deps.app.setLoginItemSettings({ openAtLogin: on, args: [START_HIDDEN_ARG] }),
    };
  }
  if (deps.platform !== 'linux') return { supported: false, isEnabled: async () => false, setEnabled: async () => {} };
  const file = autostartFile(deps.env, deps.homedir);
  return {
    supported: true,
    async isEnabled() {
      const text = await readSmallFile(file, 64 * 1024).catch(() => undefined);
      // A user (or their desktop's settings) may have turned it off by editing, not deleting.
      return text !== undefined && !/^(Hidden=true|X-GNOME-Autostart-enabled=false)$/m.test(text);
    },
    async setEnabled(on) {
      if (!on) {
        await fs.rm(file, { force: true });
        return;
      }
      await fs.mkdir(path.dirname(file), { recursive: true });
      await writeFileAtomic(file, desktopEntry(deps.command), 0o644);
    },
  };
}
