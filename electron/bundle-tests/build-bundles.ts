/**
 * Vitest global set-up of the `shell` project: builds the Electron main, preload and renderer
 * bundles the way `electron-forge package` does, then puts a stand-in `electron` package next
 * to them so Node can load them. Run once per `vitest run`, before the bundle tests.
 *
 * "The way Forge does": the build targets come from forge.config.ts's VitePlugin, and each
 * Vite config is made by @electron-forge/plugin-vite's own ViteConfigGenerator (which merges
 * vite.main.config.ts / vite.preload.config.ts / vite.renderer.config.ts with the lib entry,
 * CJS output, `electron` and Node builtins external, and the MAIN_WINDOW_VITE_* defines it
 * adds), then built with Vite's build() as VitePlugin.build does. Only the output folder is
 * changed: a private one under .tmp instead of .vite, so a test run never touches .vite.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { build, type InlineConfig } from 'vite';
import { STAND_IN_GLOBAL } from './stand-in/global-key';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Folder with build/main.js, build/preload.js, renderer/main_window/ and the electron stand-in. */
    shellBundles: string;
  }
}

const root = path.resolve(__dirname, '../..');

interface ForgeVitePlugin {
  name: string;
  config: { build: unknown[]; renderer: { name: string }[] };
}

type ConfigGenerator = new (pluginConfig: unknown, projectDir: string, isProd: boolean) => {
  getBuildConfigs(): Promise<InlineConfig[]>;
  getRendererConfig(): Promise<InlineConfig[]>;
};

export default async function setup(project: TestProject): Promise<() => void> {
  const started = Date.now();
  const out = path.join(root, '.tmp', `shell-bundles-${process.pid}`);
  fs.rmSync(out, { recursive: true, force: true });

  const { default: forgeConfig } = (await import(path.join(root, 'forge.config.ts'))) as { default: { plugins: ForgeVitePlugin[] } };
  const vitePlugin = forgeConfig.plugins.find((p) => p.name === 'vite');
  if (!vitePlugin) throw new Error('forge.config.ts has no VitePlugin: the bundle tests build what it declares');
  const generatorModule = (await import('@electron-forge/plugin-vite/dist/ViteConfig.js')) as { default: ConfigGenerator | { default: ConfigGenerator } };
  const Generator = 'default' in generatorModule.default ? generatorModule.default.default : generatorModule.default;
  const generator = new Generator(vitePlugin.config, root, true);

  // Forge builds the targets concurrently (VitePlugin's Listr tasks); so do we.
  const rendererNames = vitePlugin.config.renderer.map((r) => r.name);
  await Promise.all([
    ...(await generator.getBuildConfigs()).map((config) => build({ configFile: false, logLevel: 'error', ...config, build: { ...config.build, outDir: path.join(out, 'build') } })),
    ...(await generator.getRendererConfig()).map((config, i) =>
      build({ configFile: false, logLevel: 'error', ...config, build: { ...config.build, outDir: path.join(out, 'renderer', rendererNames[i]) } }),
    ),
  ]);

  // `require('electron')` from build/main.js finds this before the real package in node_modules.
  const shim = path.join(out, 'node_modules', 'electron');
  fs.mkdirSync(shim, { recursive: true });
  fs.writeFileSync(path.join(shim, 'package.json'), JSON.stringify({ name: 'electron', main: 'index.js' }));
  fs.writeFileSync(
    path.join(shim, 'index.js'),
    [
      '// A STAND-IN for the electron module, for tests only (no Electron binary can be installed here).',
      '// The test puts the recording stand-in (electron/bundle-tests/stand-in) on globalThis first.',
      `const standIn = globalThis[Symbol.for(${JSON.stringify(STAND_IN_GLOBAL)})];`,
      "if (!standIn) throw new Error('the electron stand-in is not installed: load bundles through electron/bundle-tests/load-bundle.ts');",
      'module.exports = standIn;',
      '',
    ].join('\n'),
  );
  console.log(`[shell bundles] built main, preload and renderer with Forge's Vite configs in ${Date.now() - started} ms (${path.relative(root, out)})`);
  project.provide('shellBundles', out);
  return () => fs.rmSync(out, { recursive: true, force: true });
}
