/** Where a test puts the electron stand-in for the built bundles' `require('electron')`. */
export const STAND_IN_GLOBAL = 'clab-publisher.electron-stand-in';
