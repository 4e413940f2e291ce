// Lint enforces the folder boundaries of DESIGN.md: shared/ is platform-free, the core never
// imports electron, the renderer reaches the core only through the contract.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const nodeBuiltins = ['node:*', 'fs', 'fs/*', 'path', 'os', 'net', 'tls', 'http', 'https', 'child_process', 'crypto', 'stream', 'events', 'url', 'util'];

export default tseslint.config(
  { ignores: ['node_modules', '.tmp', '.vite', 'out', 'dist-renderer', 'dist-host', 'test-results', 'playwright-report'] },
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
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/electron/*', 'electron', ...nodeBuiltins], message: 'The renderer reaches the core only through the contract (shared/contract.ts).' },
        ],
      }],
    },
  },
);
