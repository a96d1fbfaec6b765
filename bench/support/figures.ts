/**
 * bench/figures.json: the one place measured figures live. Each bench writes its own section;
 * README.md, docs/internals.md and boards/esp32.json quote them, and test/docs/figures.test.ts
 * checks that every quote matches.
 */
import * as fs from 'fs';
import * as path from 'path';

export const FIGURES = path.resolve(__dirname, '../figures.json');

export type Figures = Record<string, Record<string, number | string>>;

export function readFigures(): Figures {
  return fs.existsSync(FIGURES) ? JSON.parse(fs.readFileSync(FIGURES, 'utf8')) : {};
}

/** Replaces one section, keeping the others and a stable key order. */
export function writeFigures(section: string, values: Record<string, number | string>): void {
  const all = readFigures();
  all[section] = values;
  const sorted: Figures = {};
  for (const k of Object.keys(all).sort()) sorted[k] = all[k];
  fs.writeFileSync(FIGURES, JSON.stringify(sorted, null, 2) + '\n');
}
