/**
 * STAND-IN for Electron's safeStorage, shell, dialog, Tray, Menu, nativeImage, screen and
 * Notification (see world.ts).
 */
import crypto from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { World } from './world';

/**
 * Like Chromium's OSCrypt on Linux, which safeStorage uses: `v11` + AES-128-CBC with a key from
 * the keyring, or `v10` with the key derived from the built-in password "peanuts" when the
 * backend is `basic_text`; data without a prefix is returned unchanged ("old clear text").
 */
export class StandInSafeStorage {
  private readonly keyringKey: Buffer;
  private static readonly BASIC_KEY = crypto.pbkdf2Sync('peanuts', 'saltysalt', 1, 16, 'sha1');
  private static readonly IV = Buffer.alloc(16, ' ');

  constructor(private readonly world: World) {
    // The same "keyring" answers every run that uses this data folder, like a real login keyring.
    this.keyringKey = crypto.createHash('sha256').update(`keyring:${world.opts.userData}`).digest().subarray(0, 16);
  }
  private get backend(): string {
    return this.world.opts.safeStorage?.backend ?? 'gnome_libsecret';
  }
  isEncryptionAvailable(): boolean {
    return this.world.ready && (this.world.opts.safeStorage?.available ?? true);
  }
  getSelectedStorageBackend(): string {
    return this.world.ready ? this.backend : 'unknown';
  }
  encryptString(plain: string): Buffer {
    this.world.record('safeStorage.encryptString', plain);
    if (!this.isEncryptionAvailable()) throw new Error('Error while encrypting the text provided to safeStorage.encryptString. Encryption is not available.');
    const basic = this.backend === 'basic_text';
    const c = crypto.createCipheriv('aes-128-cbc', basic ? StandInSafeStorage.BASIC_KEY : this.keyringKey, StandInSafeStorage.IV);
    return Buffer.concat([Buffer.from(basic ? 'v10' : 'v11'), c.update(plain, 'utf8'), c.final()]);
  }
  decryptString(data: Buffer): string {
    this.world.record('safeStorage.decryptString', data.length);
    const prefix = data.subarray(0, 3).toString('latin1');
    if (prefix !== 'v10' && prefix !== 'v11') return data.toString('utf8');
    const d = crypto.createDecipheriv('aes-128-cbc', prefix === 'v10' ? StandInSafeStorage.BASIC_KEY : this.keyringKey, StandInSafeStorage.IV);
    try {
      return Buffer.concat([d.update(data.subarray(3)), d.final()]).toString('utf8');
    } catch {
      throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    }
  }
}

export function standInShell(world: World) {
  return {
    openExternal: async (url: string) => void world.record('shell.openExternal', url),
    openPath: async (p: string) => {
      world.record('shell.openPath', p);
      return '';
    },
    showItemInFolder: (p: string) => world.record('shell.showItemInFolder', p),
  };
}

export function standInDialog(world: World) {
  return {
    showErrorBox: (title: string, content: string) => world.record('dialog.showErrorBox', title, content),
    showSaveDialog: async (...args: unknown[]) => {
      world.record('dialog.showSaveDialog', ...args);
      return { canceled: true };
    },
    showMessageBox: async (...args: unknown[]) => {
      world.record('dialog.showMessageBox', ...args);
      return { response: 0 };
    },
  };
}

/** A menu item as the shell built it (the template, click handlers included). */
export interface StandInMenuItem {
  id?: string;
  label?: string;
  role?: string;
  type?: string;
  checked?: boolean;
  enabled?: boolean;
  accelerator?: string;
  click?: () => void;
  submenu?: StandInMenuItem[];
}

export class StandInMenu {
  constructor(readonly items: StandInMenuItem[]) {}
  /** Depth-first search by id, role or label. */
  find(key: string): StandInMenuItem | undefined {
    const walk = (items: StandInMenuItem[]): StandInMenuItem | undefined => {
      for (const i of items) {
        if (i.id === key || i.role === key || i.label === key) return i;
        const sub = i.submenu && walk(i.submenu);
        if (sub) return sub;
      }
      return undefined;
    };
    return walk(this.items);
  }
}

export function standInMenuModule(world: World) {
  let appMenu: StandInMenu | null = null;
  return {
    buildFromTemplate: (template: StandInMenuItem[]) => new StandInMenu(template),
    setApplicationMenu: (m: StandInMenu | null) => {
      appMenu = m;
      world.record('Menu.setApplicationMenu');
    },
    getApplicationMenu: () => appMenu,
  };
}

export class StandInTray extends EventEmitter {
  toolTip = '';
  title = '';
  menu: StandInMenu | undefined;
  private destroyed = false;
  constructor(
    private readonly world: World,
    readonly image: StandInImage,
  ) {
    super();
    world.record('Tray.new', image);
  }
  setToolTip(t: string): void {
    this.toolTip = t;
    this.world.record('Tray.setToolTip', t);
  }
  setTitle(t: string): void {
    this.title = t;
    this.world.record('Tray.setTitle', t);
  }
  setContextMenu(m: StandInMenu): void {
    this.menu = m;
    this.world.record('Tray.setContextMenu');
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  destroy(): void {
    this.destroyed = true;
    this.world.record('Tray.destroy');
  }
}

export interface StandInImage {
  dataUrl: string;
  isEmpty(): boolean;
  toPNG(): Buffer;
}

export const standInNativeImage = {
  createFromDataURL(dataUrl: string): StandInImage {
    const m = /^data:image\/png;base64,(.+)$/.exec(dataUrl);
    const png = m ? Buffer.from(m[1], 'base64') : Buffer.alloc(0);
    // An image Electron could decode starts with the PNG signature.
    const ok = png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    return { dataUrl, isEmpty: () => !ok, toPNG: () => png };
  },
  createEmpty(): StandInImage {
    return { dataUrl: '', isEmpty: () => true, toPNG: () => Buffer.alloc(0) };
  },
};

export function standInScreen(world: World) {
  return {
    getAllDisplays: () => world.displays,
    getPrimaryDisplay: () => world.displays[0],
  };
}

export function standInNotification(world: World) {
  return class StandInNotification extends EventEmitter {
    static isSupported(): boolean {
      return true;
    }
    constructor(readonly options: unknown) {
      super();
      world.record('Notification.new', options);
    }
    show(): void {
      world.record('Notification.show', this.options);
    }
  };
}
