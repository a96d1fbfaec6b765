/**
 * Fidelity: test/sim/probe/features.js, run inside SimBoard, must print what the ESP32-like
 * interpreter printed (test/sim/probe/expected-esp32like.txt, recorded as its README says),
 * except the explained items in sim/board/known-differences.ts.
 */
import * as fs from 'fs';
import * as path from 'path';
import { SimBoard } from '../../sim/board';
import { KNOWN_DIFFERENCES } from '../../sim/board/known-differences';

const probeDir = path.join(__dirname, 'probe');
const MAX_KNOWN_DIFFERENCES = 30;

describe('Espruino probe (expected-esp32like.txt)', () => {
  let board: SimBoard | undefined;
  let expected: string[];
  beforeAll(async () => {
    expected = fs.readFileSync(path.join(probeDir, 'expected-esp32like.txt'), 'latin1').split(/\r?\n/).filter((l) => l.length);
    const b = (board = new SimBoard());
    b.runFile(path.join(probeDir, 'features.js'));
    await b.waitFor(() => b.output.length >= expected.length);
  });
  afterAll(() => board?.close());

  const itemOf = (line: string) => line.slice(0, line.indexOf(' :: '));

  it('prints one line per probe item, in order, and nothing escapes as uncaught', () => {
    expect(board!.output.map(itemOf)).toEqual(expected.map(itemOf));
    expect(board!.uncaught).toEqual([]);
  });

  it('matches every line that is not a known difference', () => {
    const known = new Set(KNOWN_DIFFERENCES.map((d) => d.item));
    const mismatches = expected
      .map((line, i) => ({ line, got: board!.output[i] }))
      .filter(({ line, got }) => !known.has(itemOf(line)) && got !== line);
    expect(mismatches).toEqual([]);
  });

  it('keeps the known-differences list short, explained, and about items that really differ', () => {
    expect(KNOWN_DIFFERENCES.length).toBeLessThanOrEqual(MAX_KNOWN_DIFFERENCES);
    const items = new Set(expected.map(itemOf));
    for (const d of KNOWN_DIFFERENCES) {
      expect(items.has(d.item)).toBe(true);
      expect(d.reason.length).toBeGreaterThan(10);
      const i = expected.findIndex((l) => itemOf(l) === d.item);
      expect(board!.output[i]).not.toBe(expected[i]); // a fixed item must leave the list
    }
  });
});
