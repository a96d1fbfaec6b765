/**
 * Compiling app sources against types/aliyunIoT.d.ts with the TypeScript compiler API, as an
 * app author's build would: ES5, CommonJS, strict, no Node types, the .d.ts itself checked too.
 */
import * as path from 'path';
import ts from 'typescript';

export const ROOT = path.resolve(__dirname, '../..');
export const DTS = path.join(ROOT, 'types/aliyunIoT.d.ts');

/** The Espruino globals and modules apps use, as apps get them. */
export const ESPRUINO_DTS = path.join(ROOT, 'types/espruino.d.ts');

export const APP_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES5,
  module: ts.ModuleKind.CommonJS,
  lib: ['lib.es5.d.ts'],
  types: [],
  strict: true,
  skipLibCheck: false,
  noEmitOnError: false,
};

export interface Compiled {
  program: ts.Program;
  diagnostics: ts.Diagnostic[];
  /** Emitted JavaScript by source file name (base name, .js). */
  output: Map<string, string>;
}

export interface CompileExtras {
  /** Compile against types/espruino.d.ts too (print, setTimeout, require("Storage")...). */
  espruinoGlobals?: boolean;
  /** Sources that exist only in memory (path -> text), compiled as roots too. */
  inMemory?: Record<string, string>;
}

export function compile(files: string[], options: ts.CompilerOptions = APP_OPTIONS, extras: CompileExtras = {}): Compiled {
  const virtual: Record<string, string> = { ...extras.inMemory };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, lang, onError) => (name in virtual ? ts.createSourceFile(name, virtual[name], lang) : getSourceFile(name, lang, onError));
  const output = new Map<string, string>();
  host.writeFile = (name, text) => output.set(path.basename(name), text);
  const roots = [DTS, ...(extras.espruinoGlobals ? [ESPRUINO_DTS] : []), ...files, ...Object.keys(virtual)];
  const program = ts.createProgram(roots, { ...options, outDir: path.join(ROOT, '__types-test-out__') }, host);
  const emitted = program.emit();
  const diagnostics = [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics];
  return { program, diagnostics, output };
}

export function describeDiagnostic(d: ts.Diagnostic): string {
  const where = d.file && d.start !== undefined ? `${path.relative(ROOT, d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1} ` : '';
  return `${where}TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
}
