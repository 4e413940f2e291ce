import os from 'node:os';
import path from 'node:path';

/** The platform's app data folder, the same one Electron's `userData` uses for this app. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const home = os.homedir();
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'clab-publisher');
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'clab-publisher');
  return path.join(env.XDG_CONFIG_HOME || path.join(home, '.config'), 'clab-publisher');
}
