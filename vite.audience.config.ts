import path from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import { buildAudienceCsp } from './shared/csp';

const projectDir = __dirname;

/** The built page carries its CSP as a <meta> tag too (a saved copy of the page keeps it). */
function cspMeta(): Plugin {
  return {
    name: 'clab-publisher:audience-csp-meta',
    apply: 'build',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: buildAudienceCsp({ forMeta: true }) }, injectTo: 'head-prepend' }],
  };
}

/**
 * The audience page: a small separate web app (no React, no owner API), served by the core's
 * page listener. Its index.html is the template the core renders each attendee's page into
 * (the `<!--audience-page-->` slot), so the assets are referenced from the root (`/assets/`)
 * whatever the page's path. Forge's Vite plugin sets its own outDir for the desktop build.
 */
export default defineConfig((env) => {
  const underForge = 'forgeConfigSelf' in env;
  return {
    root: path.resolve(projectDir, 'audience'),
    base: '/',
    plugins: [cspMeta()],
    build: {
      ...(underForge ? {} : { outDir: path.resolve(projectDir, 'dist-audience') }),
      emptyOutDir: true,
      // One script and one stylesheet: the page stays a couple of requests.
      cssCodeSplit: false,
    },
  };
});
