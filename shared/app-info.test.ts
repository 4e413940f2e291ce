import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_NAME, APP_VERSION } from './app-info';

describe('app-info', () => {
  it('says what package.json says', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { name: string; version: string };
    expect([APP_NAME, APP_VERSION]).toEqual([pkg.name, pkg.version]);
  });
});
