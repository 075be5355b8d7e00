// Prints jest's totals as one plain closing line ("N passed, N failed"), read from the JSON
// results `npm run jest` writes, so any CI reading only the last line sees what ran.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const file = join(__dirname, '..', '.jest-results.json');
if (!existsSync(file)) {
  console.log('jest: no results written (jest did not run to the end)');
  process.exit(1);
}
const r = JSON.parse(readFileSync(file, 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number };
console.log(`jest: ${r.numPassedTests} passed, ${r.numFailedTests} failed${r.numPendingTests ? `, ${r.numPendingTests} skipped` : ''}`);
