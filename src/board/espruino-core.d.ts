/**
 * Globals that both Espruino and Node have, declared for the ES5 device build only
 * (tsconfig.build.json). Timer handles are opaque: keep them typed `any` in src/.
 */
declare function require(name: string): any;
declare function setTimeout(fn: () => void, ms: number): any;
declare function clearTimeout(id: any): void;
declare function setInterval(fn: () => void, ms: number): any;
declare function clearInterval(id: any): void;
declare const console: { log(...args: any[]): void };
