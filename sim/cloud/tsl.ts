/** Thing model (TSL) checks: a reduced form of the platform's TSL JSON (properties, events,
 *  services with identifier + dataType), enough to refuse unknown identifiers and wrong types. */
import { Code } from './codes';

export interface DataType {
  type: 'int' | 'float' | 'double' | 'text' | 'bool' | 'enum' | 'date' | 'struct' | 'array';
  specs?: {
    min?: number; max?: number; length?: number;
    /** enum/bool: allowed values as keys (platform style `{"0":"off","1":"on"}`). */
    [key: string]: unknown;
  };
}

export interface TslParam {
  identifier: string;
  dataType: DataType;
}

export interface TslProperty extends TslParam {
  accessMode?: 'r' | 'rw';
}

export interface TslEvent {
  identifier: string;
  type?: 'info' | 'alert' | 'error';
  outputData?: TslParam[];
}

export interface TslService {
  identifier: string;
  callType?: 'sync' | 'async';
  inputData?: TslParam[];
  outputData?: TslParam[];
}

export interface ThingModel {
  properties?: TslProperty[];
  events?: TslEvent[];
  services?: TslService[];
}

export interface TslVerdict {
  code: number;
  message: string;
}

const OK: TslVerdict = { code: Code.Ok, message: 'success' };

function fail(code: number, message: string): TslVerdict {
  return { code, message };
}

/** Checks one value against its data type; returns an error text or null. */
export function checkValue(dt: DataType, v: unknown): string | null {
  const specs = dt.specs ?? {};
  switch (dt.type) {
    case 'int':
    case 'date':
      if (typeof v === 'string' && dt.type === 'date' && /^\d+$/.test(v)) return null;
      if (typeof v !== 'number' || !Number.isInteger(v)) return dt.type + ' type of value is not ' + dt.type;
      break;
    case 'float':
    case 'double':
      if (typeof v !== 'number' || !Number.isFinite(v)) return dt.type + ' type of value is not number';
      break;
    case 'bool':
      if (v !== 0 && v !== 1 && v !== true && v !== false) return 'bool type of value is not 0 or 1';
      return null;
    case 'enum':
      if (typeof v !== 'number' || !Number.isInteger(v)) return 'enum type of value is not int';
      if (dt.specs && !(String(v) in dt.specs)) return 'enum value not in specs';
      return null;
    case 'text':
      if (typeof v !== 'string') return 'text type of value is not string';
      if (typeof specs.length === 'number' && Buffer.byteLength(v) > specs.length) return 'text value too long';
      return null;
    case 'struct':
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'struct type of value is not object';
      return null;
    case 'array':
      if (!Array.isArray(v)) return 'array type of value is not array';
      return null;
    default:
      return null;
  }
  const n = v as number;
  if (typeof specs.min === 'number' && n < specs.min) return 'value below min';
  if (typeof specs.max === 'number' && n > specs.max) return 'value above max';
  return null;
}

/** A reported property may be bare or `{value, time}` (DOC-89301). */
export function unwrapValue(v: unknown): { value: unknown; time?: number } {
  if (v !== null && typeof v === 'object' && !Array.isArray(v) && 'value' in (v as object)) {
    const o = v as { value: unknown; time?: unknown };
    return { value: o.value, time: typeof o.time === 'number' ? o.time : undefined };
  }
  return { value: v };
}

function checkParams(list: TslParam[] | undefined, params: Record<string, unknown>, unknownCode: number): TslVerdict {
  const byId = new Map((list ?? []).map((p) => [p.identifier, p]));
  for (const [id, raw] of Object.entries(params)) {
    const def = byId.get(id);
    if (!def) return fail(unknownCode, 'tsl parse: identifier ' + id + ' not found');
    const err = checkValue(def.dataType, raw);
    if (err) return fail(Code.TslValueInvalid, 'tsl parse: ' + id + ': ' + err);
  }
  return OK;
}

/** Reported properties (post or batch): unknown → 5159, wrong type → 6305. */
export function checkReportedProperties(model: ThingModel, params: Record<string, unknown>): TslVerdict {
  const byId = new Map((model.properties ?? []).map((p) => [p.identifier, p]));
  for (const [id, raw] of Object.entries(params)) {
    const def = byId.get(id);
    if (!def) return fail(Code.TslPropertyUnknown, 'tsl parse: property ' + id + ' not found');
    const err = checkValue(def.dataType, unwrapValue(raw).value);
    if (err) return fail(Code.TslValueInvalid, 'tsl parse: ' + id + ': ' + err);
  }
  return OK;
}

/** Property set from the cloud: also refuses read-only properties (6305). */
export function checkSetProperties(model: ThingModel, params: Record<string, unknown>): TslVerdict {
  const v = checkReportedProperties(model, params);
  if (v.code !== Code.Ok) return v;
  for (const p of model.properties ?? []) {
    if (p.identifier in params && p.accessMode === 'r') return fail(Code.TslValueInvalid, 'property ' + p.identifier + ' is read-only');
  }
  return OK;
}

/** Event post: unknown event → 5160, outputs checked like properties. */
export function checkEvent(model: ThingModel, eventId: string, value: Record<string, unknown>): TslVerdict {
  const def = (model.events ?? []).find((e) => e.identifier === eventId);
  if (!def) return fail(Code.TslEventUnknown, 'tsl parse: event ' + eventId + ' not found');
  return checkParams(def.outputData, value, Code.TslValueInvalid);
}

/** Service invocation from the cloud: unknown service → 5161, inputs checked. */
export function checkService(model: ThingModel, serviceId: string, params: Record<string, unknown>): TslVerdict {
  const def = (model.services ?? []).find((s) => s.identifier === serviceId);
  if (!def) return fail(Code.TslServiceUnknown, 'tsl parse: service ' + serviceId + ' not found');
  return checkParams(def.inputData, params, Code.TslValueInvalid);
}
