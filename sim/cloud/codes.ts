/** Result codes the emulator puts in replies, and the CONNACK codes it refuses logins with.
 *  Alink codes come from alink-protocol.md §3.2 (DOC-120329). Where the platform's exact
 *  code is UNCONFIRMED the emulator's choice is marked "emulator choice" — one place to change. */
export const Code = {
  Ok: 200,
  /** JSON but the wrong shape: no id, params of the wrong type, too many params. */
  BadParams: 460,
  ServerError: 500,
  ProductNotFound: 6250,
  DeviceNotFound: 6100,
  DeviceDisabled: 6204,
  /** The payload (or the raw script's output) is not JSON. */
  NotJson: 6207,
  /** TSL: property / event / service identifier not in the thing model. */
  TslPropertyUnknown: 5159,
  TslEventUnknown: 5160,
  TslServiceUnknown: 5161,
  /** TSL: the request carries no method the model knows. */
  TslMethodMissing: 6300,
  /** TSL: value of the wrong type or outside specs: "dsl parse: params type error" (CV3
   *  `infra_defs.h` ERROR_DSL_PARSE_PARAMS_TYPE_ERROR; 6306..6312 name the specs of each type,
   *  which the emulator does not tell apart). Not 6301: that is "params format must be
   *  JSONObject/JSONArray" (ERROR_DSL_PARSE_PARAMS_FORMAT_ERROR), ParamsNotObject below. */
  TslValueInvalid: 6305,
  ParamsNotObject: 6301,
  /** Raw script produced no method. */
  ScriptNoMethod: 6450,
  /** Raw script threw (emulator choice within the 26xxx script family). */
  ScriptError: 26002,
  /** HTTPS / MQTT dynamic registration refusals (emulator choices; the real list is UNCONFIRMED). */
  RegisterSignInvalid: 6292,
  RegisterDisabled: 6288,
  RegisterAlreadyActive: 6289,
  /** Shadow: version in the request not newer than the stored one (emulator choice, 409). */
  ShadowVersionConflict: 409,
  /** File upload over MQTT (alink-protocol.md §5.3, LSDK `aiot_mqtt_upload_result_code_t`). */
  UploadNotParseable: 400,
  UploadFileTooLarge: 78117,
  UploadBlockTooLarge: 78118,
  UploadOffsetMismatch: 78119,
  UploadBlockTooSmall: 78120,
  UploadCrcMismatch: 78121,
  UploadTaskNotFound: 78122,
  UploadNameConflict: 78123,
  UploadFinished: 78124,
  UploadFileCheckFailed: 78125,
  UploadDuplicateBlock: 78126,
  /** A sub-device sign that does not verify: 401 "request auth error" (sub-device dynamic
   *  registration and login documentation, DOC-89300 / DOC-89301 error tables). */
  SubdevAuthFailed: 401,
  /** A sub-device bound to another gateway: the platform refuses to hand it over (emulator
   *  choice of code; UNCONFIRMED, the documents name no code for it). */
  SubdevBoundElsewhere: 6619,
  /** Gateways (§6, CV3 `ERROR_TOPO_RELATION_*`, `IOTX_DM_ERR_CODE_NO_ACTIVE_SESSION`). */
  TopoCountExceeded: 6400,
  TopoNotExist: 6401,
  TopoCannotAddSelf: 6402,
  SubdevNoActiveSession: 520,
} as const;

/** CONNACK return codes (MQTT 3.1.1 meanings). The platform's real choice is UNCONFIRMED:
 *  - 2 identifier rejected: clientId not `prefix|k=v,...|`, keepalive outside 30..1200,
 *    securemode not matching the transport (2/-2 on TLS, 3 on plain TCP);
 *  - 4 bad user name or password: wrong signature/token, unknown device, username mismatch;
 *  - 5 not authorized: device disabled, dynamic registration off or device already active. */
export const Connack = { IdentifierRejected: 2, BadCredentials: 4, NotAuthorized: 5 } as const;

/** Text for codes, for replies' `message` and for logs (never shipped to the device). */
export const codeText: Record<number, string> = {
  200: 'success',
  460: 'request parameter error',
  500: 'unknown system error',
  6250: 'product not found',
  6100: 'device not found',
  6204: 'device is disabled',
  6207: 'the format of payload is not json',
  5159: 'tsl property not found',
  5160: 'tsl event not found',
  5161: 'tsl service not found',
  6300: 'method not found',
  6301: 'params format must be JSONObject/JSONArray',
  6305: 'params type error',
  401: 'request auth error',
  6619: 'sub-device is bound to another gateway',
  6450: 'script result has no method',
  26002: 'script execution failed',
  6292: 'sign check failed',
  6288: 'dynamic registration is not enabled for the product',
  6289: 'device is already active',
  409: 'version conflict',
  400: 'request error',
  78117: 'file size exceeds the limit',
  78118: 'block size exceeds the limit',
  78119: 'offset does not match the bytes already stored',
  78120: 'non-final block smaller than 256 bytes',
  78121: 'block crc check failed',
  78122: 'upload task does not exist',
  78123: 'a file with the same name exists',
  78124: 'upload already finished',
  78125: 'file integrity check failed',
  78126: 'duplicate block',
  6400: 'topo relation count exceeded',
  6401: 'topo relation not exist',
  6402: 'topo relation cannot add by self',
  520: 'no active session',
};

export function messageOf(code: number): string {
  return codeText[code] ?? 'error';
}
