import type { Transport } from '../../shared/model';
import { create } from 'zustand';
import { ApiError } from '../api/api-error';

/** The node port the publish dialog is open for. */
export interface PublishTarget {
  host: string;
  lab: string;
  node: string;
  kind: string;
  port: number;
  /** A UDP chip publishes as udp, a TCP chip as one of the TCP-based types. */
  protocol: Transport;
  service?: string;
}

export interface Toast {
  id: number;
  /** `info` confirms something that worked; errors stay until dismissed. */
  tone: 'error' | 'info';
  message: string;
  hint?: string;
}

interface UiState {
  /** `<host>/<lab>`; null picks the first lab. */
  selectedLab: string | null;
  publishTarget: PublishTarget | null;
  providersOpen: boolean;
  /** The accounts drawer (shares the drawer's place with providers: one at a time). */
  accountsOpen: boolean;
  logsOpen: boolean;
  /** Publication whose tunnel row should scroll into view and flash. */
  highlight: { publicationId: string; nonce: number } | null;
  toasts: Toast[];
  /** Host key fingerprints the user chose not to decide on now. */
  dismissedHostKeys: string[];
  /**
   * Lab hosts whose "unreachable" banner the user hid (a laptop without Docker of its own,
   * a lab server that is off for the week); shown again after the host was connected.
   */
  hiddenHostBanners: string[];
  /** The share shown in the Shares section; null shows the list only. */
  selectedShare: string | null;
  /** The lab the "share this lab" dialog is open for. */
  shareTarget: { host: string; lab: string } | null;
  selectShare(id: string | null): void;
  openShareDialog(target: { host: string; lab: string } | null): void;
  selectLab(key: string): void;
  openPublish(t: PublishTarget): void;
  closePublish(): void;
  setProvidersOpen(open: boolean): void;
  setAccountsOpen(open: boolean): void;
  toggleLogs(): void;
  setLogsOpen(open: boolean): void;
  highlightPublication(id: string | null): void;
  showError(err: unknown, context?: string): void;
  showInfo(message: string, hint?: string): void;
  dismissToast(id: number): void;
  dismissHostKey(fingerprint: string): void;
  hideHostBanner(id: string, hidden: boolean): void;
  reviewHostKey(fingerprint: string): void;
}

let toastId = 0;

export const labKey = (host: string, name: string) => `${host}/${name}`;

export const useUiStore = create<UiState>()((set) => ({
  selectedLab: null,
  publishTarget: null,
  providersOpen: false,
  accountsOpen: false,
  logsOpen: true,
  highlight: null,
  toasts: [],
  dismissedHostKeys: [],
  hiddenHostBanners: [],
  selectedShare: null,
  shareTarget: null,
  selectShare: (selectedShare) => set({ selectedShare }),
  openShareDialog: (shareTarget) => set({ shareTarget }),
  selectLab: (selectedLab) => set({ selectedLab }),
  openPublish: (publishTarget) => set({ publishTarget }),
  closePublish: () => set({ publishTarget: null }),
  setProvidersOpen: (providersOpen) => set(providersOpen ? { providersOpen, accountsOpen: false } : { providersOpen }),
  setAccountsOpen: (accountsOpen) => set(accountsOpen ? { accountsOpen, providersOpen: false } : { accountsOpen }),
  toggleLogs: () => set((s) => ({ logsOpen: !s.logsOpen })),
  setLogsOpen: (logsOpen) => set({ logsOpen }),
  highlightPublication: (id) => set({ highlight: id ? { publicationId: id, nonce: Date.now() } : null }),
  showError: (err, context) => {
    const { message, hint } = ApiError.describe(err);
    const toast: Toast = { id: ++toastId, tone: 'error', message: context ? `${context}: ${message}` : message, hint };
    set((s) => ({ toasts: [...s.toasts.slice(-4), toast] }));
  },
  showInfo: (message, hint) => {
    const toast: Toast = { id: ++toastId, tone: 'info', message, hint };
    set((s) => ({ toasts: [...s.toasts.slice(-4), toast] }));
  },
  dismissToast: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
  dismissHostKey: (fp) => set((s) => ({ dismissedHostKeys: [...s.dismissedHostKeys, fp] })),
  hideHostBanner: (id, hidden) =>
    set((s) => (hidden === s.hiddenHostBanners.includes(id) ? s : { hiddenHostBanners: hidden ? [...s.hiddenHostBanners, id] : s.hiddenHostBanners.filter((h) => h !== id) })),
  reviewHostKey: (fp) => set((s) => ({ dismissedHostKeys: s.dismissedHostKeys.filter((f) => f !== fp) })),
}));
