/**
 * Compiling app sources against types/aliyunIoT.d.ts with the TypeScript compiler API, as an
 * app author's build would: ES5, CommonJS, strict, no Node types, the .d.ts itself checked too.
 */
import * as path from 'path';
import ts from 'typescript';

export const ROOT = path.resolve(__dirname, '../..');
export const DTS = path.join(ROOT, 'types/aliyunIoT.d.ts');

/** The few Espruino globals the example scripts use, for checking them as JavaScript. */
const ESPRUINO_GLOBALS = path.join(ROOT, '__espruino-globals__.d.ts');
const ESPRUINO_GLOBALS_TEXT = `
declare function print(...values: any[]): void;
declare function setTimeout(fn: () => void, ms?: number): number;
declare function setInterval(fn: () => void, ms?: number): number;
declare function clearInterval(id: number): void;
declare module "Storage" { function readJSON(name: string, noExceptions?: boolean): any; function write(name: string, data: string, offset?: number, size?: number): boolean; function read(name: string): string | undefined; }
declare module "Wifi" { function connect(ssid: string, options: { password?: string }, cb: (err: any) => void): void; function getIP(): { ip: string; netmask: string; gw: string }; }
`;

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
  /** Declare the Espruino globals the example scripts use. */
  espruinoGlobals?: boolean;
  /** Sources that exist only in memory (path -> text), compiled as roots too. */
  inMemory?: Record<string, string>;
}

export function compile(files: string[], options: ts.CompilerOptions = APP_OPTIONS, extras: CompileExtras = {}): Compiled {
  const virtual: Record<string, string> = { ...extras.inMemory };
  if (extras.espruinoGlobals) virtual[ESPRUINO_GLOBALS] = ESPRUINO_GLOBALS_TEXT;
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, lang, onError) => (name in virtual ? ts.createSourceFile(name, virtual[name], lang) : getSourceFile(name, lang, onError));
  const output = new Map<string, string>();
  host.writeFile = (name, text) => output.set(path.basename(name), text);
  const roots = [DTS, ...files, ...Object.keys(virtual)];
  const program = ts.createProgram(roots, { ...options, outDir: path.join(ROOT, '__types-test-out__') }, host);
  const emitted = program.emit();
  const diagnostics = [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics];
  return { program, diagnostics, output };
}

export function describeDiagnostic(d: ts.Diagnostic): string {
  const where = d.file && d.start !== undefined ? `${path.relative(ROOT, d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1} ` : '';
  return `${where}TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
}
