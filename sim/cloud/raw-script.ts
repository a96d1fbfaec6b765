/** Data-parsing scripts for raw (pass-through) products, with the platform's script API:
 *  `rawDataToProtocol(bytes)` turns uplink bytes into an Alink request object and
 *  `protocolToRawData(json)` turns the Alink reply (or a downlink request) into bytes.
 *  Bytes are arrays of numbers 0..255, as in the platform's JavaScript scripts. */

export interface RawScript {
  rawDataToProtocol(bytes: number[]): unknown;
  protocolToRawData(json: Record<string, unknown>): number[] | Uint8Array;
}

let rawCounter = 0;

/** Default script: the bytes become a property post `{"rawData":"<hex>"}`, and the reply goes
 *  back as its JSON text. Good enough to see raw traffic flow end to end. */
export const defaultRawScript: RawScript = {
  rawDataToProtocol(bytes) {
    rawCounter = (rawCounter + 1) % 4294967295;
    return { id: String(rawCounter), version: '1.0', method: 'thing.event.property.post', params: { rawData: Buffer.from(bytes).toString('hex') } };
  },
  protocolToRawData(json) {
    return [...Buffer.from(JSON.stringify(json))];
  },
};

/** Compiles a script text (as stored in the registry) into a RawScript. The text is trusted:
 *  it comes from the developer's own registry file, as on the platform's console. */
export function compileRawScript(source: string): RawScript {
  const factory = new Function(
    source + '\nreturn { rawDataToProtocol: typeof rawDataToProtocol === "function" ? rawDataToProtocol : undefined,' +
      ' protocolToRawData: typeof protocolToRawData === "function" ? protocolToRawData : undefined };',
  ) as () => Partial<RawScript>;
  const s = factory();
  if (!s.rawDataToProtocol || !s.protocolToRawData) throw new Error('raw script must define rawDataToProtocol and protocolToRawData');
  return s as RawScript;
}
