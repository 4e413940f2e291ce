/**
 * STAND-IN for Electron's session, protocol and downloads (see world.ts). Test-side helpers
 * call the handlers the shell installed, as Chromium would.
 */
import { EventEmitter } from 'node:events';
import type { StandInWebContents } from './windows';
import { preventable, type World } from './world';

type HeadersListener = (
  details: { url: string; responseHeaders: Record<string, string[]> },
  callback: (r: { responseHeaders?: Record<string, string[]>; cancel?: boolean }) => void,
) => void;
type RequestHandler = (wc: StandInWebContents, permission: string, callback: (granted: boolean) => void, details: { requestingUrl: string }) => void;
type CheckHandler = (wc: StandInWebContents | null, permission: string, requestingOrigin: string) => boolean;

export class StandInDownloadItem extends EventEmitter {
  saveDialogOptions: Record<string, unknown> | undefined;
  savePath = '';
  constructor(
    private readonly url: string,
    private readonly filename: string,
  ) {
    super();
  }
  getURL(): string {
    return this.url;
  }
  getFilename(): string {
    return this.filename;
  }
  setSaveDialogOptions(o: Record<string, unknown>): void {
    this.saveDialogOptions = o;
  }
  setSavePath(p: string): void {
    this.savePath = p;
  }
  getSavePath(): string {
    return this.savePath;
  }
}

export class StandInProtocol {
  readonly privileged: { scheme: string; privileges: Record<string, boolean> }[] = [];
  readonly handlers = new Map<string, (req: Request) => Response | Promise<Response>>();
  constructor(private readonly world: World) {}

  registerSchemesAsPrivileged(schemes: { scheme: string; privileges: Record<string, boolean> }[]): void {
    if (this.world.ready) throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready');
    // Electron keeps only the last call's list.
    this.privileged.splice(0, this.privileged.length, ...schemes);
    this.world.record('protocol.registerSchemesAsPrivileged', schemes);
  }
  handle(scheme: string, handler: (req: Request) => Response | Promise<Response>): void {
    if (!this.world.ready) throw new Error('protocol.handle cannot be used before the app is ready');
    if (this.handlers.has(scheme)) throw new Error(`The scheme "${scheme}" is already handled`);
    this.handlers.set(scheme, handler);
    this.world.record('protocol.handle', scheme);
  }
  isProtocolHandled(scheme: string): boolean {
    return this.handlers.has(scheme);
  }
  /** Test side: what the page would get for `url`. */
  async fetch(url: string, init?: RequestInit): Promise<Response> {
    const scheme = new URL(url).protocol.slice(0, -1);
    const h = this.handlers.get(scheme);
    if (!h) throw new Error(`net::ERR_UNKNOWN_URL_SCHEME (${scheme})`);
    return h(new Request(url, init));
  }
}

export class StandInSession extends EventEmitter {
  headersListener?: HeadersListener;
  requestHandler?: RequestHandler;
  checkHandler?: CheckHandler;
  readonly webRequest = { onHeadersReceived: (l: HeadersListener) => void (this.headersListener = l) };

  constructor(
    private readonly world: World,
    readonly partition: string,
    readonly protocol: StandInProtocol,
  ) {
    super();
  }

  setPermissionRequestHandler(h: RequestHandler): void {
    this.requestHandler = h;
    this.world.record('session.setPermissionRequestHandler', this.partition);
  }
  setPermissionCheckHandler(h: CheckHandler): void {
    this.checkHandler = h;
    this.world.record('session.setPermissionCheckHandler', this.partition);
  }

  /** Test side: a page asks for a permission; Electron's default (no handler) grants it. */
  requestPermission(wc: StandInWebContents, permission: string, requestingUrl = wc.getURL()): Promise<boolean> {
    if (!this.requestHandler) return Promise.resolve(true);
    return new Promise((resolve) => this.requestHandler!(wc, permission, resolve, { requestingUrl }));
  }
  checkPermission(wc: StandInWebContents | null, permission: string, origin: string): boolean {
    return this.checkHandler ? this.checkHandler(wc, permission, origin) : true;
  }
  /** Test side: the headers a response for `url` ends up with. */
  responseHeaders(url: string, headers: Record<string, string[]>): Promise<Record<string, string[]>> {
    if (!this.headersListener) return Promise.resolve(headers);
    return new Promise((resolve) => this.headersListener!({ url, responseHeaders: headers }, (r) => resolve(r.responseHeaders ?? headers)));
  }
  /** Test side: the page starts a download; returns whether it was let through, and the item. */
  download(wc: StandInWebContents | undefined, url: string, filename: string): { allowed: boolean; item: StandInDownloadItem } {
    const item = new StandInDownloadItem(url, filename);
    const e = preventable();
    this.emit('will-download', e, item, wc);
    return { allowed: !e.defaultPrevented, item };
  }
}
