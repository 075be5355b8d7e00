import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { operations } from '../../generated/server/operations';

/** Where the gateway serves the rendered contract (public, no tenant, no token). */
export const DOCS_PATH = operations.ApiDocs.path;

let page: Buffer | undefined;

/** The HTML `npm run generate` renders from both specs; read once, on first use. */
export function docsPage(): Buffer {
  page ??= readFileSync(join(__dirname, '..', '..', 'generated', 'docs', 'index.html'));
  return page;
}
