import type { ForgeConfig } from '@electron-forge/shared-types';
import { MakerDeb } from '@electron-forge/maker-deb';
import { MakerRpm } from '@electron-forge/maker-rpm';
import { MakerZIP } from '@electron-forge/maker-zip';
import { FusesPlugin } from '@electron-forge/plugin-fuses';
import { VitePlugin } from '@electron-forge/plugin-vite';
import { FuseV1Options, FuseVersion } from '@electron/fuses';

/**
 * The Vite plugin packages only `.vite/` by default. dockerode, ssh2 and ws are left out of
 * the main bundle (ssh2 has optional native parts), so the production node_modules are
 * packaged too; Electron Packager's prune drops the devDependencies from them.
 */
function ignore(file: string): boolean {
  if (!file) return false;
  const keep = ['/.vite', '/node_modules'];
  return !keep.some((dir) => file === dir || file.startsWith(`${dir}/`));
}

const config: ForgeConfig = {
  packagerConfig: {
    executableName: 'clab-publisher',
    // Native addons (ssh2's crypto binding, cpu-features) cannot be loaded from inside an asar.
    asar: { unpack: '**/*.node' },
    ignore,
    // Help > README opens it from the resources folder (process.resourcesPath).
    extraResource: ['README.md'],
  },
  rebuildConfig: {},
  makers: [
    new MakerZIP({}, ['linux', 'darwin']),
    new MakerDeb({ options: { maintainer: 'clab-publisher maintainers', categories: ['Development', 'Network'] } }),
    new MakerRpm({ options: { categories: ['Development', 'Network'] } }),
  ],
  plugins: [
    new VitePlugin({
      build: [
        { entry: 'electron/main.ts', config: 'vite.main.config.ts', target: 'main' },
        // The worker thread that reads topology files, beside main.js (topology-in-worker.ts).
        { entry: 'electron/core/topology/topology-worker.ts', config: 'vite.main.config.ts', target: 'main' },
        { entry: 'electron/preload.ts', config: 'vite.preload.config.ts', target: 'preload' },
      ],
      // The audience page is its own small web app, served by the core's page listener from
      // .vite/renderer/audience (electron/main.ts passes the folder to the core).
      renderer: [
        { name: 'main_window', config: 'vite.renderer.config.ts' },
        { name: 'audience', config: 'vite.audience.config.ts' },
      ],
    }),
    // Flipped in the Electron binary at package time: no ELECTRON_RUN_AS_NODE, no NODE_OPTIONS or
    // --inspect, encrypted cookies, only the integrity-checked app.asar may be loaded, and file://
    // pages get no more than a browser gives them (the UI comes from app://, app-protocol.ts).
    new FusesPlugin({
      version: FuseVersion.V1,
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableCookieEncryption]: true,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
      [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
    }),
  ],
};

export default config;
