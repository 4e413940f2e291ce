// Lint enforces the boundaries of docs/architecture.md: shared/ is platform-free, the core never
// imports electron, the renderer reaches the core only through the contract (and inside the
// renderer only each feature's actions.ts and the stores call it), the core's folders depend
// one way (CORE_LAYERS below) and no module imports itself back.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import boundaries from 'eslint-plugin-boundaries';
import { importX, createNodeResolver } from 'eslint-plugin-import-x';
import globals from 'globals';

const nodeBuiltins = ['node:*', 'fs', 'fs/*', 'path', 'os', 'net', 'tls', 'http', 'https', 'child_process', 'crypto', 'stream', 'events', 'url', 'util'];

/**
 * The folders of electron/core, lowest layer first. A folder may import only the folders listed
 * before it; the files at electron/core's root (the composition root) may import any.
 * docs/architecture.md says what each layer is for; keep the two in step.
 */
const CORE_LAYERS = [
  // foundations
  'util', 'logs', 'settings', 'secrets',
  // protocols and this computer's resources
  'ssh', 'docker',
  // the lab model: lab hosts and their interfaces (lab source, dialer, files), topology files
  'labs', 'topology',
  // how a port reaches the outside; remote lab hosts (they read the relay's address)
  'providers', 'border0', 'remote',
  // the user's intent and keeping it true
  'publications', 'tunnels', 'lab-topology',
  // shells on lab nodes (SSH or the container engine), for the audience's browser terminal
  // and the owner's watched terminal; knows nothing of shares beyond the labels it is given
  'terminals',
  // handing labs to an audience: shares hold ports closed and admit connections through the
  // tunnels' gate interface (tunnels never import shares)
  'shares',
  // the audience of a share: attendees and their links, the share's page on its own listener
  // (published through the share's provider), the page's WebSocket and terminals
  'audience',
  // the API
  'rpc',
];

/** border0's parts, lowest first: the same rule inside that folder (its root files are shared by all). */
const BORDER0_PARTS = ['api', 'dataplane', 'account', 'provider'];
const border0Parts = BORDER0_PARTS.map((p) => `border0/${p}`);

const coreElements = [
  { type: 'shared', pattern: 'shared' },
  ...BORDER0_PARTS.map((p) => ({ type: `border0/${p}`, pattern: `electron/core/border0/${p}` })),
  ...CORE_LAYERS.map((f) => ({ type: f, pattern: `electron/core/${f}` })),
];

/** What the folders below layer `i` are, with border0 standing for its parts as well. */
const below = (i) => ['shared', ...CORE_LAYERS.slice(0, i)].flatMap((f) => (f === 'border0' ? ['border0', ...border0Parts] : [f]));
const allow = (from, to) => ({ from: { element: { type: from } }, allow: { to: { element: { type: to } } } });
const B = CORE_LAYERS.indexOf('border0');
const corePolicies = [
  ...CORE_LAYERS.map((f, i) => allow(f, f === 'border0' ? [...below(i), ...border0Parts] : below(i))),
  ...border0Parts.map((p, j) => allow(p, [...below(B), 'border0', ...border0Parts.slice(0, j)])),
];

const rendererToCore = { group: ['**/electron/*', 'electron', ...nodeBuiltins], message: 'The renderer reaches the core only through the contract (shared/contract.ts).' };
// Views call the core through their feature's actions.ts (renderer/views/<feature>/actions.ts);
// presentational parts get data and callbacks as props. ApiError and Problem stay importable.
const viewsToApi = { regex: '(^|/)api(/(index|transport|ws-client|bridge-client))?$', message: "Only a feature's actions.ts (and the stores) call the core: import the action from ./actions." };
const componentsToViews = { group: ['**/views/**'], message: 'components/ are shared and presentational: they get data and callbacks as props, never a feature view or action.' };

export default tseslint.config(
  { ignores: ['node_modules', '.tmp', '.vite', 'out', 'dist-renderer', 'dist-host', 'dist-audience', 'test-results', 'playwright-report'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    ignores: ['shared/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: [...nodeBuiltins, 'electron', 'react', 'react-dom', '../electron/*', '../renderer/*'], message: 'shared/ is pure TypeScript: no node:*, no electron, no DOM.' },
        ],
      }],
    },
  },
  {
    files: ['electron/core/**/*.ts', 'electron/host/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['electron', 'electron/*'], message: 'electron/core and electron/host never import electron: keep Electron in main.ts / preload.ts.' },
          { group: ['**/renderer/*'], message: 'The core does not import the UI.' },
        ],
      }],
    },
  },
  {
    // No module imports itself back, anywhere in the code.
    files: ['**/*.{ts,tsx}'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js'] })],
      'import-x/extensions': ['.ts', '.tsx', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    // The core's layers (CORE_LAYERS). Tests and their helpers may reach across layers to
    // assemble what they test; production code may not.
    files: ['electron/core/**/*.ts'],
    ignores: ['**/*.test.ts', '**/*test-helpers.ts'],
    plugins: { boundaries },
    settings: {
      'boundaries/elements': coreElements,
      'import/resolver': { node: { extensions: ['.ts', '.tsx', '.js'] } },
    },
    rules: {
      'boundaries/dependencies': ['error', {
        default: 'disallow',
        // A file outside every layer (the composition root at electron/core's top) is off limits too.
        checkUnknownLocals: true,
        message:
          '{{from.type}} may not import {{#if to.type}}{{to.type}}{{else}}{{dependency.source}} (outside every layer){{/if}}: inside electron/core a folder imports only the folders before it in CORE_LAYERS (eslint.config.mjs; docs/architecture.md)',
        policies: corePolicies,
      }],
    },
  },
  {
    // The audience page is another app on another origin: it never sees the owner's contract
    // (its methods must not exist there), the renderer or the core, only its own protocol.
    files: ['audience/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/shared/contract', '**/shared/rpc-errors', '**/renderer/*', '**/electron/*', 'electron', ...nodeBuiltins], message: 'The audience page speaks only shared/audience-protocol.ts: no owner contract, no core, no renderer.' },
          { group: ['zod', '**/shared/audience-schemas', 'qrcode', '**/shared/share-qr'], message: 'Kept out of the page bundle: the app checks messages and draws the QR code.' },
        ],
      }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', { patterns: [rendererToCore, viewsToApi] }],
    },
  },
  {
    // Who may call the core: each feature's actions.ts, the stores that sync lists, the entry.
    files: ['renderer/api/**', 'renderer/stores/**', 'renderer/views/*/actions.ts', 'renderer/main.tsx'],
    rules: { 'no-restricted-imports': ['error', { patterns: [rendererToCore] }] },
  },
  {
    files: ['renderer/components/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [rendererToCore, viewsToApi, componentsToViews] }] },
  },
);
