/**
 * Types for apps that use the aliyunIoT module on Espruino (the HaaS Python API: Device and
 * Gateway for the Alibaba Cloud IoT Platform).
 *
 *   /// <reference path="types/aliyunIoT.d.ts" />
 *   import aliyunIoT = require("aliyunIoT");  // ES5/CommonJS output: var aliyunIoT = require("aliyunIoT");
 *   var device = new aliyunIoT.Device();
 *   device.on(device.ON_PROPS, function (d) { print(d.params); });
 *
 * In a JavaScript app checked by TypeScript (checkJs), `var aliyunIoT = require("aliyunIoT")` is
 * typed from the same declaration.
 *
 * Return codes: 0 is success; a negative number is a local failure (bad input, not connected,
 * link down...); a positive one is the platform's refusal. Bad input never throws: the method
 * returns the code and ON_ERROR fires with {code, message: <method name>}.
 */
declare module "aliyunIoT" {
  /** Bytes as the module accepts them: a Uint8Array, an array of byte values or a binary string. */
  export type Bytes = Uint8Array | number[] | string;

  /** Connection parameters of Device.connect / Gateway.connect. */
  export interface ConnectInfo {
    productKey: string;
    deviceName: string;
    /** Omit after register(): the secret it stored is used. */
    deviceSecret?: string;
    /** Default "cn-shanghai"; the broker is <productKey>.iot-as-mqtt.<region>.aliyuncs.com. */
    region?: string;
    /** 30..1200, default 60. */
    keepaliveSec?: number;
    /** Overrides the broker host derived from productKey and region. */
    host?: string;
    /** Default 1883. */
    port?: number;
    /** Default: TLS when the firmware has it. */
    tls?: boolean;
    /** PEM of the CA to trust over TLS. */
    ca?: string;
    /** Default "hmacsha256". */
    signMethod?: "hmacsha256" | "hmacsha1";
    clientId?: string;
    /** Default true. */
    cleanSession?: boolean;
    /** Bytes per file upload block, 256..131072 (default 2048). */
    uploadBlockSize?: number;
    /** Largest incoming MQTT packet taken whole (default 263168); a larger message is acknowledged, dropped and reported as ON_ERROR -316. */
    maxPacketBytes?: number;
    /** Accept every over-the-air update the app's ON_OTA handler neither accepted nor rejected (default false). */
    otaAuto?: boolean;
    /** Seconds a new app or module has, after the restart into it, to connect before the board goes back to the previous one (default 300). */
    otaDeadlineSec?: number;
  }

  /**
   * ON_OTA: an over-the-air update notice from the platform. `module` "default" is the app and
   * "aliyunIoT" this module (both applied by the module on a board flashed OTA-ready); any other
   * module, and any module on a board not flashed OTA-ready, ends as the verified Storage file
   * `file`, which the app applies and then reports with reportVersion().
   */
  export interface OtaNotice {
    module: string;
    version: string;
    /** Bytes of the package. */
    size: number;
    url: string;
    signMethod: "md5" | "sha256";
    /** The digest the package must have (lowercase hex). */
    sign: string;
    /** The platform's custom data for the update, if any. */
    extData?: unknown;
    /** Whose update it is: this device, or (for a gateway) one of its sub-devices. */
    productKey: string;
    deviceName: string;
    /** The Storage file the package goes to; may be changed before accept() for a module the app applies. */
    file: string;
    /** Downloads, verifies and applies it; `cb` hears each reported step. 0, or a negative code. */
    accept(cb?: (progress: OtaProgress) => void): number;
    /** Refuses it; the platform hears `code` (-1 .. -4, default -1) as the failed step. */
    reject(code?: -1 | -2 | -3 | -4): number;
  }

  /** accept()'s callback: step 1..100 as reported to the platform, or -1 .. -4 with a negative `code`. */
  export interface OtaProgress {
    module: string;
    version: string;
    step: number;
    code: number;
    file: string;
  }

  /** Dynamic registration (一型一密) parameters of Device.register. */
  export interface RegisterInfo {
    productKey: string;
    deviceName: string;
    productSecret: string;
    region?: string;
    host?: string;
    port?: number;
    /** Default "mqtt" (over TLS). */
    transport?: "mqtt" | "https";
    /** false: registration-free devices (the platform issues a clientId and token). Default true. */
    preRegister?: boolean;
    signMethod?: "hmacsha256" | "hmacsha1";
    ca?: string;
  }

  /** ON_CONNECT, ON_DISCONNECT, ON_CLOSE. */
  export interface StatusData {
    code: number;
  }

  /** ON_ERROR: `message` names the refused method (or "mqtt" for a link error). */
  export interface ErrorData {
    code: number;
    message: string;
  }

  /** ON_REPLY and the callbacks of postProps/postEvent: the platform's answer to a post. */
  export interface ReplyData {
    code: number;
    msg_id: number;
    method: string;
  }

  /** ON_PROPS: a property set from the cloud. `params` is JSON text of `params_len` bytes. */
  export interface PropsData {
    code: number;
    msg_id: number;
    productKey: string;
    deviceName: string;
    params_len: number;
    params: string;
  }

  /** ON_SERVICE: a service call; answer by returning the outputs (or a code), or later with reply(). */
  export interface ServiceData extends PropsData {
    service_id: string;
    /** true for synchronous calls (RRPC): answer within the platform's 8 s. */
    sync: boolean;
    /** Answers once; returns 0, or a negative code if already answered. Code default 200. */
    reply(output?: object, code?: number): number;
  }

  /** ON_RAWDATA: bytes for a product with a data-parsing script. */
  export interface RawData {
    productKey: string;
    deviceName: string;
    params_len: number;
    params: Uint8Array;
  }

  /** ON_SUBCRIBE / ON_SUBSCRIBE: a message on a custom topic. */
  export interface TopicMessage {
    topic: string;
    payload: string;
  }

  /** Gateway management results (ON_LOGIN ... ON_TOPOCHANGE); `message` is the reply data as JSON text. */
  export interface GatewayOpData {
    code: number;
    message: string;
  }

  /** getNtpTime: the platform's time in China Standard Time; `timestamp` in seconds since 1970. */
  export interface NtpTime {
    year: number;
    month: number;
    day: number;
    hour: number;
    minute: number;
    second: number;
    msecond: number;
    timestamp: number;
  }

  /** Upload progress: once per block (complete false), once at the end (complete true). */
  export interface UploadProgress {
    code: number;
    uploadId: string;
    fileName: string;
    size: number;
    offset: number;
    complete: boolean;
  }

  /** Device.register's callback; the secret itself goes to Storage, not to the app. */
  export interface RegisterResult {
    code: number;
    productKey: string;
    deviceName: string;
  }

  /** What register() stored for this board. */
  export interface StoredIdentity {
    productKey: string;
    deviceName: string;
    deviceSecret: string;
    productSecret: string;
  }

  export interface SubscribeData {
    /** A topic (filter) under this device's own /productKey/deviceName/. */
    topic: string;
    /** 0 or 1 (any other non-zero value counts as 1). */
    qos?: number;
  }

  export interface UnsubscribeData {
    topic: string;
  }

  export interface PublishData {
    topic: string;
    /** 0 or 1 (any other non-zero value counts as 1). */
    qos?: number;
    payload?: Bytes;
  }

  export interface PostPropsData {
    /** JSON text (as HaaS apps pass it, from JSON.stringify) or an object. */
    params: string | object;
  }

  export interface PostEventData {
    /** The event's identifier in the thing model. */
    id: string;
    params: string | object;
  }

  export interface PostRawData {
    param: Bytes;
  }

  /** A gateway posts for itself, or for a logged-in sub-device named here. */
  export interface SubdevicePostProps extends PostPropsData {
    productKey?: string;
    deviceName?: string;
  }

  export interface SubdevicePostEvent extends PostEventData {
    productKey?: string;
    deviceName?: string;
  }

  export interface SubdeviceRef {
    productKey: string;
    deviceName: string;
  }

  /** A sub-device with its secret (or one stored by an earlier registration or topo add). */
  export interface Subdevice extends SubdeviceRef {
    deviceSecret?: string;
  }

  /** What a handler of a property set may return: another reply code than 200. */
  export type PropsAnswer = number | void;
  /** What a service handler may return: outputs or a code to answer at once, nothing to answer later. */
  export type ServiceAnswer = object | number | void;

  /** Methods both classes share. */
  interface Connectable {
    /** Reports `version` of `module` ("default" or omitted: the app) to the OTA service, now and at every connect. */
    reportVersion(module: string | undefined, version: string): number;
    /** Asks the OTA service for a pending update of `module` (default: the app); it comes to ON_OTA. */
    queryOta(module?: string): number;
    /** Starts connecting; ON_CONNECT fires on every (re)connection. */
    connect(info: ConnectInfo): number;
    /** Asks the platform for the time and sets the board clock from it. */
    getNtpTime(cb: (time: NtpTime) => void): number;
    subscribe(data: SubscribeData): number;
    unsubscribe(data: UnsubscribeData): number;
    publish(data: PublishData): number;
    /** Closes the connection for good; ON_CLOSE follows. */
    end(): number;
  }

  export interface DeviceEvents {
    readonly ON_CONNECT: 1;
    readonly ON_CLOSE: 2;
    readonly ON_DISCONNECT: 3;
    /** Accepted for HaaS compatibility; this module never fires it. */
    readonly ON_EVENT: 4;
    readonly ON_SERVICE: 5;
    /** The HaaS spelling; same as ON_SUBSCRIBE. */
    readonly ON_SUBCRIBE: 6;
    readonly ON_SUBSCRIBE: 6;
    readonly ON_PROPS: 7;
    readonly ON_ERROR: 8;
    readonly ON_REPLY: 9;
    readonly ON_RAWDATA: 10;
    /** An over-the-air update notice (OtaNotice). */
    readonly ON_OTA: 11;
  }

  export interface Device extends DeviceEvents, Connectable {
    on(event: 1 | 2 | 3, cb: (data: StatusData) => void): number;
    on(event: 4, cb: (data: unknown) => void): number;
    on(event: 5, cb: (data: ServiceData) => ServiceAnswer): number;
    on(event: 6, cb: (data: TopicMessage) => void): number;
    on(event: 7, cb: (data: PropsData) => PropsAnswer): number;
    on(event: 8, cb: (data: ErrorData) => void): number;
    on(event: 9, cb: (data: ReplyData) => void): number;
    on(event: 10, cb: (data: RawData) => void): number;
    on(event: 11, cb: (notice: OtaNotice) => void): number;
    postProps(data: PostPropsData, cb?: (reply: ReplyData) => void): number;
    postEvent(data: PostEventData, cb?: (reply: ReplyData) => void): number;
    postRaw(data: PostRawData): number;
    register(info: RegisterInfo, cb: (result: RegisterResult) => void): number;
    /** What register() stored, or null. */
    getDeviceInfo(): StoredIdentity | null;
    getDeviceHandle(): Device;
    /** Uploads the Storage file `fileName`; a local task id, or null for bad input. */
    uploadFile(fileName: string, cb?: (progress: UploadProgress) => void): number | null;
    /** Uploads `content` as `fileName`; a local task id, or null for bad input. */
    uploadContent(fileName: string, content: Bytes, cb?: (progress: UploadProgress) => void): number | null;
  }

  export interface DeviceConstructor extends DeviceEvents {
    new (): Device;
    /** Without `new`, as in HaaS. */
    (): Device;
  }

  export interface GatewayEvents {
    readonly ON_CONNECT: 0;
    readonly ON_DISCONNECT: 1;
    readonly ON_CLOSE: 2;
    /** The HaaS spelling; same as ON_SUBSCRIBE. */
    readonly ON_SUBCRIBE: 3;
    readonly ON_SUBSCRIBE: 3;
    readonly ON_LOGIN: 4;
    readonly ON_LOGOUT: 5;
    readonly ON_TOPOADD: 6;
    readonly ON_TOPOREMOVE: 7;
    readonly ON_TOPOGET: 8;
    readonly ON_SUBREGISTER: 9;
    readonly ON_SERVICE: 10;
    readonly ON_PROPS: 11;
    readonly ON_ERROR: 12;
    readonly ON_REPLY: 13;
    readonly ON_RAWDATA: 14;
    /** The platform changed the topology; `message` is the notification's JSON text. */
    readonly ON_TOPOCHANGE: 15;
    /** An over-the-air update notice for the gateway or one of its sub-devices (OtaNotice). */
    readonly ON_OTA: 16;
  }

  export interface Gateway extends GatewayEvents, Connectable {
    on(event: 0 | 1 | 2, cb: (data: StatusData) => void): number;
    on(event: 3, cb: (data: TopicMessage) => void): number;
    on(event: 4 | 5 | 6 | 7 | 8 | 9 | 15, cb: (data: GatewayOpData) => void): number;
    on(event: 10, cb: (data: ServiceData) => ServiceAnswer): number;
    on(event: 11, cb: (data: PropsData) => PropsAnswer): number;
    on(event: 12, cb: (data: ErrorData) => void): number;
    on(event: 13, cb: (data: ReplyData) => void): number;
    on(event: 14, cb: (data: RawData) => void): number;
    on(event: 16, cb: (notice: OtaNotice) => void): number;
    postProps(data: SubdevicePostProps, cb?: (reply: ReplyData) => void): number;
    postEvent(data: SubdevicePostEvent, cb?: (reply: ReplyData) => void): number;
    /** ON_TOPOADD reports the result. */
    addTopo(list: Subdevice[]): number;
    /** ON_TOPOGET reports the device list as JSON text. */
    getTopo(): number;
    /** ON_TOPOREMOVE reports the result. */
    removeTopo(list: SubdeviceRef[]): number;
    /** ON_LOGIN reports the result; logged-in sub-devices are logged in again after a reconnect. */
    login(list: Subdevice[]): number;
    /** ON_LOGOUT reports the result. */
    logout(list: SubdeviceRef[]): number;
    /** ON_SUBREGISTER reports the result; the issued secrets are kept in Storage. */
    registerSubDevice(list: SubdeviceRef[]): number;
    getGatewayInfo(): StoredIdentity | null;
    getGatewayHandle(): Gateway;
  }

  export interface GatewayConstructor extends GatewayEvents {
    new (): Gateway;
    /** Without `new`, as in HaaS. */
    (): Gateway;
  }

  export const Device: DeviceConstructor;
  export const Gateway: GatewayConstructor;
}
