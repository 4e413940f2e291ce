/**
 * What `electron-forge package` is told, read from forge.config.ts itself: the fuses flipped in
 * the Electron binary and the files shipped. (The bundles it builds are the ones
 * electron/bundle-tests load.)
 */
import { FuseV1Options, FuseVersion } from '@electron/fuses';
import { describe, expect, it } from 'vitest';
import forgeConfig from '../forge.config';

type Plugin = { name: string; fusesConfig?: Record<string | number, unknown>; config?: { build: { entry: string; target: string }[]; renderer: { name: string; config: string }[] } };
const plugins = forgeConfig.plugins as unknown as Plugin[];

describe('forge.config.ts', () => {
  it('turns off file:// extra privileges and the other risky fuses', () => {
    const fuses = plugins.find((p) => p.name === 'fuses')?.fusesConfig;
    expect(fuses).toBeDefined();
    expect(fuses).toMatchObject({
      version: FuseVersion.V1,
      // The UI comes from app://clab-publisher; no page needs file:// beyond what a browser allows.
      [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.EnableCookieEncryption]: true,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
    });
  });

  it('builds the main (and its topology worker) and preload entries these tests load, and ships the README that Help opens', () => {
    const vite = plugins.find((p) => p.name === 'vite');
    expect(vite?.config?.build.map((b) => [b.entry, b.target])).toEqual([
      ['electron/main.ts', 'main'],
      // The worker thread that reads topology files, started from main.js's folder.
      ['electron/core/topology/topology-worker.ts', 'main'],
      ['electron/preload.ts', 'preload'],
    ]);
    expect(forgeConfig.packagerConfig?.extraResource).toEqual(['README.md']);
  });

  it('builds the audience page as its own renderer, where electron/main.ts tells the core to find it', () => {
    const vite = plugins.find((p) => p.name === 'vite');
    expect(vite?.config?.renderer.map((r) => [r.name, r.config])).toEqual([
      ['main_window', 'vite.renderer.config.ts'],
      ['audience', 'vite.audience.config.ts'],
    ]);
  });
});
