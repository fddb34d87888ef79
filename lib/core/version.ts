import { readFileSync } from 'node:fs';
import { join } from 'node:path';

function findPackageVersion(): string {
  // Built files live in dist/lib/core, sources in lib/core: walk up until package.json.
  for (const up of ['..', '../..', '../../..']) {
    try {
      const pkg = JSON.parse(readFileSync(join(__dirname, up, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === '@clawarr/node-red-media-trackers' && pkg.version) return pkg.version;
    } catch {
      // not at this level
    }
  }
  return '0.0.0';
}

export const PACKAGE_VERSION = findPackageVersion();
export const USER_AGENT = `clawarr/${PACKAGE_VERSION}`;
