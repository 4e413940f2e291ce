import { create } from 'zustand';
import { useUiStore } from './use-ui-store';

const KEY = 'clab-publisher.notifications';
const supported = () => typeof Notification !== 'undefined';

function stored(): boolean {
  try {
    const v = localStorage.getItem(KEY);
    // Off by default in a browser (a permission prompt must come from a click); the desktop app may notify.
    return v === null ? !!window.clabPublisher : v === 'on';
  } catch {
    return false;
  }
}

function remember(on: boolean): void {
  try {
    localStorage.setItem(KEY, on ? 'on' : 'off');
  } catch {
    // Private mode: the choice lasts until the page reloads.
  }
}

interface NotificationsState {
  /** The user wants desktop notifications for tunnels going down / coming back. */
  enabled: boolean;
  setEnabled(on: boolean): Promise<void>;
}

export const useNotificationsStore = create<NotificationsState>()((set) => ({
  // Shown as on only when it can work: the permission may have been revoked since.
  enabled: stored() && supported() && Notification.permission === 'granted',
  async setEnabled(on) {
    if (!on) {
      remember(false);
      set({ enabled: false });
      return;
    }
    const { showError } = useUiStore.getState();
    if (!supported()) return showError('This browser cannot show notifications');
    // Asked only now, after the user turned them on.
    const permission = Notification.permission === 'default' ? await Notification.requestPermission() : Notification.permission;
    if (permission !== 'granted') {
      remember(false);
      set({ enabled: false });
      return showError('Notifications are blocked for this page', "Allow notifications in the browser's site settings, then turn them on again.");
    }
    remember(true);
    set({ enabled: true });
  },
}));

/** Whether a notification may be shown right now. */
export function notificationsAllowed(): boolean {
  return useNotificationsStore.getState().enabled && supported() && Notification.permission === 'granted';
}
