import { defineConfig, type Plugin } from 'vite';

/**
 * A sandboxed preload can require only 'electron' (Node builtins and node_modules are out of
 * reach), so everything else must be bundled in. Fail the build rather than the window.
 */
function onlyElectronAtRuntime(): Plugin {
  return {
    name: 'clab-publisher:preload-only-requires-electron',
    generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk') continue;
        const other = chunk.imports.filter((id) => id !== 'electron' && id !== 'electron/renderer');
        if (other.length) this.error(`preload ${chunk.fileName} would require ${other.join(', ')} at run time; a sandboxed preload may only require 'electron'`);
      }
    },
  };
}

export default defineConfig({
  plugins: [onlyElectronAtRuntime()],
});
