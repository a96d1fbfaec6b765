/**
 * JsVar arithmetic of the Espruino interpreter (espruino-runtime.md §2, boards/esp32.json):
 * an object property is a name JsVar (holding the first few characters of the key) whose value
 * is either packed into it (small ints, booleans) or one more JsVar; longer keys and strings
 * continue in extension blocks. The constants follow sim/board/values.ts, which E.getSizeOf
 * on SimBoard uses, so the estimate and the measurement agree on the model.
 */

/** Key characters held by the property's name JsVar itself. */
export const KEY_CHARS_IN_NAME = 4;
/** Characters per string extension block. */
export const CHARS_PER_BLOCK = 10;

/** JsVars of one object property `key` whose value packs into the name (true, small int). */
export function packedPropertyJsVars(key: string): number {
  return 1 + Math.ceil(Math.max(0, key.length - KEY_CHARS_IN_NAME) / CHARS_PER_BLOCK);
}

/** The same property when its value is a JsVar of its own (an object, a float, a string...). */
export function unpackedPropertyJsVars(key: string): number {
  return packedPropertyJsVars(key) + 1;
}
