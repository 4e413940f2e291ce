// Constants Forge's Vite plugin defines in the main bundle (see @electron-forge/plugin-vite
// forge-vite-env.d.ts): the renderer dev server URL under `electron-forge start` (undefined in
// a packaged app), and the renderer's name, i.e. its folder under .vite/renderer/.
declare const MAIN_WINDOW_VITE_DEV_SERVER_URL: string | undefined;
declare const MAIN_WINDOW_VITE_NAME: string;

// Vite inlines `?inline` imports as a data: URL string (the tray and window icon).
declare module '*.png?inline' {
  const dataUrl: string;
  export default dataUrl;
}
