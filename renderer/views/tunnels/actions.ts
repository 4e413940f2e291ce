import { api } from '../../api';

// The published ports table's calls to the core; `publications.changed` brings their effect.

export async function unpublish(publicationId: string): Promise<void> {
  await api['publications.remove']({ id: publicationId });
}

/** Writes a publication made in the UI into its node's `publish` list in the topology file. */
export function saveToFile(publicationId: string): Promise<{ file: string; line: number; backupFile: string }> {
  return api['topology.saveToFile']({ publicationId });
}
