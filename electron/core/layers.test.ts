/**
 * The lint rules that keep the core layered (eslint.config.mjs, docs/architecture.md) do
 * catch what they are for: a lower folder importing a higher one, a border0 part importing a
 * later one, a layer importing the composition root, and an import cycle. Each probe is text
 * linted as if it were a file at that path; the rest of the tree is read from disk.
 */
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const eslint = new ESLint({ cwd: ROOT });

async function problems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return result.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('core layers, enforced by lint', () => {
  it('refuses a lower layer importing a higher one, and allows the other direction', async () => {
    const up = await problems('electron/core/ssh/probe.ts', "import type { TunnelProvider } from '../providers/provider';\nexport type P = TunnelProvider;\n");
    expect(up).toEqual([expect.stringMatching(/^boundaries\/dependencies: ssh may not import providers: /)]);
    const down = await problems('electron/core/providers/probe.ts', "import type { HostKeyStore } from '../ssh/host-key-store';\nexport type P = HostKeyStore;\n");
    expect(down).toEqual([]);
  });

  it('keeps border0 parts in order: api may not use the account built on it', async () => {
    const out = await problems('electron/core/border0/api/probe.ts', "import type { Border0Account } from '../account/border0-account';\nexport type P = Border0Account;\n");
    expect(out).toEqual([expect.stringMatching(/border0\/api may not import border0\/account/)]);
  });

  it('refuses a layer importing the composition root', async () => {
    const out = await problems('electron/core/rpc/probe.ts', "import type { Core } from '../app-core-types';\nexport type P = Core;\n");
    expect(out).toEqual([expect.stringMatching(/rpc may not import \.\.\/app-core-types \(outside every layer\)/)]);
  });

  it('refuses an import cycle', async () => {
    // write-back-plan.ts imports write-back-plan-flow.ts; the probe makes the flow import it back.
    const out = await problems('electron/core/topology/write-back-plan-flow.ts', "import { planEdits } from './write-back-plan';\nexport const p = planEdits;\n");
    expect(out).toContain('import-x/no-cycle: Dependency cycle detected');
  });
});
