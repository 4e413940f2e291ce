/**
 * The app's name and version where code needs them at run time (the SSH banner). Kept equal
 * to package.json's version by shared/app-info.test.ts: the core may not import package.json.
 */
export const APP_NAME = 'clab-publisher';
export const APP_VERSION = '0.1.0';
