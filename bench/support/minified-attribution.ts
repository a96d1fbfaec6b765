/**
 * Where the minified bytes of a bundle come from: bundles one entry of build/es5 the way
 * tools/build.ts does (esbuild, ES module format) and minifies it with the same terser options,
 * with source maps through both steps, then attributes each output byte to its source module.
 *
 * Differences from the shipped file: tools/build.ts also rewrites the final `export {...}` into
 * `exports.X = ...` lines and esbuild's `__require` shim into a plain alias; here terser reads
 * the ES module as it is (module: true). The total is printed next to the real .min.js size so
 * any drift (including drift of the options copied below) is visible.
 */
import * as path from 'path';
import * as esbuild from 'esbuild';
import { minify } from 'terser';
import { bytesPerSource, type SourceMapV3 } from './source-map-attribution';
import { BUNDLE_OPTIONS, MIN_OPTIONS } from '../../tools/build';

/** Same as tools/build.ts: Espruino's built-in modules, never bundled. */

export interface Attribution {
  /** minified bytes per source path (relative to the repository root, es5 paths shown as src/*.ts) */
  perSource: Map<string, number>;
  total: number;
}

/** src/… name of a compiled module, or the path as it is for anything else (tslib, glue). */
function sourceName(root: string, fromMap: string, mapDir: string): string {
  const rel = path.relative(root, path.resolve(mapDir, fromMap)).split(path.sep).join('/');
  const es5 = 'build/es5/';
  if (rel.startsWith(es5)) return 'src/' + rel.slice(es5.length).replace(/\.js$/, '.ts');
  return rel.replace(/^node_modules\//, '');
}

export async function attributeMinified(root: string, entry: string): Promise<Attribution> {
  const outfile = path.join(root, 'build', 'attribution.js');
  const bundled = (await esbuild.build({ ...BUNDLE_OPTIONS, entryPoints: [path.join(root, 'build', 'es5', entry)], sourcemap: 'external', outfile })) as esbuild.BuildResult & { outputFiles: esbuild.OutputFile[] };
  const code = bundled.outputFiles.find((f) => f.path.endsWith('.js'))!.text;
  const map = bundled.outputFiles.find((f) => f.path.endsWith('.map'))!.text;
  // The options of the .min.js build, plus source maps.
  const min = await minify(code, { ...MIN_OPTIONS, module: true, sourceMap: { content: map, asObject: true } });
  const minMap = min.map as unknown as SourceMapV3;
  const raw = bytesPerSource(min.code!, minMap);
  const perSource = new Map<string, number>();
  for (const [src, n] of raw) {
    const name = src.startsWith('(') ? src : sourceName(root, src, path.dirname(outfile));
    perSource.set(name, (perSource.get(name) ?? 0) + n);
  }
  return { perSource, total: min.code!.length };
}
