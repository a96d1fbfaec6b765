/**
 * Where SimBoard knowingly answers the Espruino probe (test/sim/probe/
 * features.js) differently from the interpreter's recorded answers (expected-esp32like.txt), keyed by probe item name, with the reason.
 * test/sim/probe.test.ts requires every other line to match exactly and keeps this list short.
 * Most are syntax Espruino cannot parse, which V8 runs (the bundle gate keeps such syntax out of
 * the bundle); the rest are V8 semantics a vm context cannot change cheaply.
 */
export interface KnownDifference { item: string; reason: string }

const SYNTAX = 'syntax Espruino cannot parse; V8 runs it (the bundle gate rejects it in build output)';

export const KNOWN_DIFFERENCES: KnownDifference[] = [
  { item: 'tagged template', reason: SYNTAX + ' (Espruino evaluates the tag as a value)' },
  { item: 'destructuring var', reason: SYNTAX },
  { item: 'destructuring arr', reason: SYNTAX },
  { item: 'spread call', reason: SYNTAX },
  { item: 'spread array', reason: SYNTAX },
  { item: 'rest param', reason: SYNTAX },
  { item: 'default param', reason: SYNTAX },
  { item: 'object spread', reason: SYNTAX },
  { item: 'computed prop', reason: SYNTAX },
  { item: 'optional chain', reason: SYNTAX },
  { item: 'exponent', reason: SYNTAX },
  { item: 'label', reason: SYNTAX },
  { item: 'label break', reason: SYNTAX },
  { item: 'async fn', reason: SYNTAX },
  { item: 'generator', reason: SYNTAX },
  { item: 'new.target', reason: SYNTAX },
  { item: 'hoisting', reason: 'V8 hoists function declarations; rewriting them safely (redeclaration, scripts run twice) is not done. The bundle gate checks use-before-declaration' },
  { item: 'hoist fn after use in nested', reason: 'as "hoisting"' },
  { item: 'arguments in arrow', reason: 'an arrow function sees the enclosing arguments in V8 (Espruino gives it its own, empty one)' },
  { item: 'for-in order', reason: 'V8 enumerates integer-like keys first; Espruino keeps insertion order. Not changeable for ordinary objects' },
  { item: 'Object.keys order', reason: 'as "for-in order"' },
  { item: 'float', reason: 'number-to-string is V8\'s shortest round-trip (0.30000000000000004); Espruino prints about 12 significant digits' },
  { item: 'fn.name', reason: 'every V8 function has an own, non-removable-in-bulk `name`; Espruino has none' },
  { item: 'bind new', reason: 'V8 constructs through a bound function; Espruino fails. Not emulated' },
  { item: 'class extends Error', reason: 'String(e) gives "[object Object]" as on Espruino, but V8\'s Error constructor sets e.message (undefined on Espruino)' },
  { item: 'call class without new', reason: 'V8 throws TypeError for calling a class; Espruino returns undefined' },
  { item: '__proto__ instanceof trick', reason: 'V8 honours __proto__ in object literals for instanceof; Espruino does not' },
  { item: 'Date.parse ISO ms', reason: 'Espruino\'s float parsing of ".123" seconds yields 122 ms; V8 is exact' },
  { item: 'process.env.BOARD', reason: 'the probe ran on a Linux build of the interpreter (board file "ESP32LIKE"); SimBoard reports the board it simulates, "ESP32"' },
];
