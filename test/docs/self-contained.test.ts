/**
 * A clone with nothing beside it is complete: no file of the repository points outside it
 * (a sibling folder, a design document that is not in the tree, an absolute path on one
 * machine). What the tests need, the repository holds.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const root = path.resolve(__dirname, '../..');

/** Tracked and new files, as a fresh clone (plus this change) would have them. */
function repositoryFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: root, encoding: 'utf8' });
  return out.split('\0').filter((f) => f && /\.(ts|js|json|md|css|html|sh)$|^\.ci\//.test(f) && fs.existsSync(path.join(root, f)));
}

const OUTSIDE = [
  { what: 'a sibling folder', pattern: /\.\.\/shared\b|\bshared\/(reference|seeds)\b/ },
  { what: 'a design document not in the repository', pattern: /\bDESIGN\.md\b/ },
  { what: 'the task folder of one machine', pattern: /\/work\/(shared|main|wt-)/ },
  { what: 'documents only the authors have', pattern: /\bseed (document|example)s?\b/i },
];

test('the file list is real (the check below is not vacuous)', () => {
  expect(repositoryFiles().length).toBeGreaterThan(100);
});

test('no file points outside the repository', () => {
  const self = path.relative(root, __filename);
  const found: string[] = [];
  for (const f of repositoryFiles()) {
    if (f === self) continue;
    const lines = fs.readFileSync(path.join(root, f), 'utf8').split('\n');
    lines.forEach((line, i) => {
      for (const o of OUTSIDE) if (o.pattern.test(line)) found.push(`${f}:${i + 1} ${o.what}: ${line.trim().slice(0, 100)}`);
    });
  }
  expect(found).toEqual([]);
});
