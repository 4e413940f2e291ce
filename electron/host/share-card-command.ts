/**
 * `clab-publisher share-card <lab>`: prints a share's card as Markdown (or JSON) from the data
 * folder, as the app last saw it: the addresses its ports had, the commands, the ssh_config.
 * Reads only; creates nothing (no key file, no folder). Exit 0 printed, 2 nothing to print.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Publication } from '../../shared/model';
import { buildShareCard } from '../../shared/share-card';
import { shareStateAt } from '../../shared/share-model';
import type { Logger } from '../core/logs/logger';
import { KeyFileCipher } from '../core/secrets/secret-cipher';
import { SecretStore } from '../core/secrets/secret-store';
import { SettingsStore } from '../core/settings/settings-store';
import { cardInputOf } from '../core/shares/share-card-source';
import { secretName } from '../core/shares/share-service';
import { ShareStore, type StoredShare } from '../core/shares/share-store';
import type { CheckOutput } from './check-command';
import type { ShareCardArgs } from './cli-args';

const processOutput: CheckOutput = {
  stdout: (t) => process.stdout.write(`${t}\n`),
  stderr: (t) => process.stderr.write(`${t}\n`),
};

export function runShareCard(args: Omit<ShareCardArgs, 'command'>, dataDir: string, out: CheckOutput = processOutput, now = Date.now()): number {
  if (!fs.existsSync(path.join(dataDir, 'settings.json'))) {
    out.stderr(`clab-publisher: no settings in ${dataDir}: nothing has been shared from this data folder (pass --data-dir with the folder the app uses)`);
    return 2;
  }
  const warnings: string[] = [];
  const log = quietLogger(warnings);
  const settings = new SettingsStore(dataDir);
  const all = new ShareStore(settings, log).load();
  const ofLab = all.filter((s) => s.lab === args.lab && (!args.host || s.host === args.host));
  if (!ofLab.length) {
    const labs = [...new Set(all.map((s) => s.lab))];
    out.stderr(`clab-publisher: lab ${args.lab} has no share${labs.length ? ` (shared labs: ${labs.join(', ')})` : ''}: share it in the app first (the lab's "Share this lab" button)`);
    return 2;
  }
  const share = pick(ofLab, args.share, now);
  if (typeof share === 'string') {
    out.stderr(`clab-publisher: ${share}`);
    return 2;
  }
  const secrets = share.includeCredentials ? openSecrets(dataDir, log) : undefined;
  const card = buildShareCard(
    cardInputOf(share, {
      publications: settings.get<Publication[]>('publications', []),
      password: (node) => secrets?.get(secretName(share.id, node)),
      providerKind: (id) => id,
      now,
    }),
    now,
  );
  out.stdout(args.json ? JSON.stringify(card, null, 2) : card.markdown.trimEnd());
  for (const w of warnings) out.stderr(`clab-publisher: ${w}`);
  return 0;
}

/** The share named by id or title; else the only one, else the only one still open. */
function pick(shares: StoredShare[], wanted: string | undefined, now: number): StoredShare | string {
  const list = () => shares.map((s) => `"${s.title}" (${s.id}, ${shareStateAt(s, now)})`).join(', ');
  if (wanted) return shares.find((s) => s.id === wanted || s.title === wanted) ?? `no share "${wanted}" of this lab; its shares: ${list()}`;
  if (shares.length === 1) return shares[0];
  const live = shares.filter((s) => shareStateAt(s, now) === 'open' || shareStateAt(s, now) === 'expiring');
  return live.length === 1 ? live[0] : `lab has ${shares.length} shares: pass --share with the id or title of one of ${list()}`;
}

/** Passwords the owner set, when this folder's key file can open them (not the desktop's keychain). */
function openSecrets(dataDir: string, log: Logger): SecretStore | undefined {
  if (!fs.existsSync(path.join(dataDir, 'secrets.json')) || !fs.existsSync(path.join(dataDir, 'secrets.key'))) return undefined;
  return new SecretStore({ dataDir, cipher: new KeyFileCipher(dataDir), log });
}

function quietLogger(into: string[]): Logger {
  const l: Logger = {
    log: (level, message) => void (level === 'warn' || level === 'error' ? into.push(message) : undefined),
    debug: () => undefined,
    info: () => undefined,
    warn: (m) => void into.push(m),
    error: (m) => void into.push(m),
    child: () => l,
  };
  return l;
}
