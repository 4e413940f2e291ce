/** Where this tab keeps the headless host's access token between reloads. */
export const TOKEN_KEY = 'clab-publisher.token';

type Place = Pick<Location, 'href'>;
type Hist = Pick<History, 'state' | 'replaceState'>;
type Store = Pick<Storage, 'getItem' | 'setItem'>;

/**
 * The headless host's access token. It arrives in the address `clab-publisher serve` prints
 * (`?token=…`), and is taken out of the address bar and of this tab's history entry at once,
 * so it is not shown, bookmarked or copied with the address. It is kept in sessionStorage,
 * which belongs to this tab alone, outlives a reload and ends with the tab: a reload (or a
 * reconnect) uses it; a new tab needs the printed address again. A token in the address
 * always wins over the stored one: the host restarted and printed a new one.
 *
 * The browser's own list of visited addresses may still hold the first address; only not
 * putting the token in the address at all would avoid that.
 */
export function takePageToken(loc: Place = window.location, hist: Hist = window.history, store?: Store): string | null {
  const url = new URL(loc.href);
  const fromAddress = url.searchParams.get('token');
  if (fromAddress === null) return read(store);
  url.searchParams.delete('token');
  try {
    hist.replaceState(hist.state, '', `${url.pathname}${url.search}${url.hash}`);
  } catch {
    // A sandboxed frame may refuse; the connection works all the same.
  }
  write(store, fromAddress);
  return fromAddress;
}

// Reaching sessionStorage itself throws where the site may not store anything: then the
// token lives in memory for this page only, and a reload asks for the address again.
function read(store: Store | undefined): string | null {
  try {
    return (store ?? window.sessionStorage).getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

function write(store: Store | undefined, token: string): void {
  try {
    (store ?? window.sessionStorage).setItem(TOKEN_KEY, token);
  } catch {
    // Refused or full: see read().
  }
}
