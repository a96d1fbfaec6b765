/** The one test for "a JSON object" (not null, not an array) that handlers and the API share. */
export function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
