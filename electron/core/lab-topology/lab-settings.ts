import type { PublishGrammar } from '../../../shared/publish-grammar';
import type { SettingsStore } from '../settings/settings-store';

/** What the user chose for one lab; absent fields mean "the default". */
export interface LabSettings {
  autoPublish?: boolean;
  grammar?: PublishGrammar;
  provider?: string;
  /** A topology file the user opened for this lab (wins over the container label). */
  file?: string;
  /**
   * The lab is someone else's and the user opted in to publishing its file's entries: for
   * this owner (its clab-owner label; '' for a lab without one). Redeployed by another user,
   * the lab needs the opt-in again.
   */
  optInOwner?: string;
}

const KEY = 'labSettings';

export const labKey = (host: string, lab: string) => `${host}/${lab}`;

/** Per-lab settings, persisted under one settings key. */
export class LabSettingsStore {
  constructor(private readonly settings: SettingsStore) {}

  get(host: string, lab: string): LabSettings {
    return this.settings.get<Record<string, LabSettings>>(KEY, {})[labKey(host, lab)] ?? {};
  }

  update(host: string, lab: string, patch: Partial<Record<keyof LabSettings, unknown>>): LabSettings {
    const all = this.settings.get<Record<string, LabSettings>>(KEY, {});
    const next: Record<string, unknown> = { ...all[labKey(host, lab)] };
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined) continue;
      if (v === null) delete next[k];
      else next[k] = v;
    }
    all[labKey(host, lab)] = next as LabSettings;
    this.settings.set(KEY, all);
    return next as LabSettings;
  }
}
