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
    /** Listed by the HaaS Gateway document; not needed to log in (accepted and unused). */
    productSecret?: string;
    /** Default "cn-shanghai"; the broker is <productKey>.iot-as-mqtt.<region>.aliyuncs.com. */
    region?: string;
    /** 30..1200, default 60. */
    keepaliveSec?: number;
    /** New-version / Enterprise instance id (console: 实例详情): the broker is <instanceId>.mqtt.iothub.aliyuncs.com. */
    instanceId?: string;
    /** Overrides the broker host derived from instanceId or productKey and region; the endpoint as the console shows it (scheme and port allowed). */
    host?: string;
    /** Default: the port in `host`, else 1883. */
    port?: number;
    /** Default: TLS when the firmware has it. */
    tls?: boolean;
    /** PEM of the CA to trust over TLS. */
    ca?: string;
    /** Default "hmacsha256"; another value is refused with -109. */
    signMethod?: "hmacsha256" | "hmacsha1" | "hmacmd5";
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
    /** Listed by the HaaS document; the registration's own connection is short-lived (accepted, 60 s used). */
    keepaliveSec?: number;
    /** Instance id: goes into the MQTT registration clientId (read from an instance `host` too). */
    instanceId?: string;
    host?: string;
    port?: number;
    /** Default "mqtt" (over TLS). */
    transport?: "mqtt" | "https";
    /** false: registration-free devices (the platform issues a clientId and token). Default true. */
    preRegister?: boolean;
    signMethod?: "hmacsha256" | "hmacsha1" | "hmacmd5";
    ca?: string;
  }

  /** ON_CONNECT, ON_DISCONNECT, ON_CLOSE. */
  export interface StatusData {
    code: number;
    /** ON_DISCONNECT: what failed, e.g. "tls 127.0.0.1:1883: connection closed during the TLS handshake (is this a plain MQTT port?)". Never holds a secret. */
    message?: string;
  }

  /** ON_ERROR: `message` names the refused method, or for a connection error the endpoint:
   *  "mqtt://host:port" (plain) or "mqtts://host:port" (TLS). The code says what failed (-207 DNS,
   *  -201 refused, -208 TLS handshake, -304 bad credentials...; see the README's troubleshooting). */
  export interface ErrorData {
    code: number;
    message: string;
  }

  /** ON_REPLY and the callbacks of postProps/postEvent: the platform's answer to a post, once:
   *  0 (200), the cloud's code, -401 when no answer came within 10 s of the broker's PUBACK, or
   *  the code of its loss (-317: the server closed the connection 3 times right after it; -105
   *  after end()). */
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
    /** true for a synchronous call (/ext/rrpc/<id>/.../down_raw), which the cloud waits for. */
    sync: boolean;
    /** Answers with bytes: on the same topic for a synchronous call, on down_raw_reply otherwise. */
    reply(bytes: Uint8Array | number[] | string): number;
  }

  /** ON_SUBCRIBE / ON_SUBSCRIBE: a message on a custom topic. */
  export interface TopicMessage {
    topic: string;
    payload: string;
    /** Present for a synchronous call (custom-topic RRPC /ext/rrpc/<id>/<topic>, or a classic
     *  RRPC /sys/<pk>/<dn>/rrpc/request/<id> that is no service call): answers with bytes. */
    reply?: (bytes: Uint8Array | number[] | string) => number;
  }

  /** Gateway management detail (second argument of ON_LOGIN ... ON_SUBREGISTER; ON_TOPOGET's and ON_TOPOCHANGE's only one); `message` is the reply data as JSON text. */
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

  /** Device.register's callback's second argument (the first is the deviceSecret, as in HaaS). */
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
    /** The HaaS examples pass their publish dictionary here too; the payload is not sent. */
    payload?: Bytes;
  }

  export interface UnsubscribeData {
    topic: string;
    /** Accepted, as in the HaaS examples (which pass the publish dictionary); unused. */
    qos?: number;
    payload?: Bytes;
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
    /** Listed by the HaaS document's addTopo table; accepted and unused. */
    productSecret?: string;
    region?: string;
    keepaliveSec?: number;
  }

  /** registerSubDevice: the platform issues the secret (the product's dynamic registration must be on). */
  export interface SubdeviceRegistration extends SubdeviceRef {
    /** Listed by the HaaS document; the gateway's own login signs the request (accepted and unused). */
    productSecret?: string;
    region?: string;
    keepaliveSec?: number;
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
    /** 0, or -102 (topic over 65,535 bytes, payload over 256 KB, message over 263,168 bytes), -312
     *  (the outgoing queue is full: offline, or the link backed up), ... with ON_ERROR. */
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
    /** cb(deviceSecret, detail) on success (the deviceToken when preRegister is false), as HaaS; a failure goes to ON_ERROR. */
    register(info: RegisterInfo, cb: (deviceSecret: string, result: RegisterResult) => void): number;
    /** What register() stored, or null. */
    getDeviceInfo(): StoredIdentity | null;
    getDeviceHandle(): Device;
    /** Uploads the Storage file `fileName`; a local task id, or null for bad input. */
    uploadFile(fileName: string, cb?: ((progress: UploadProgress) => void) | null): number | null;
    /** Uploads `content` as `fileName`; a local task id, or null for bad input. */
    uploadContent(fileName: string, content: Bytes, cb?: ((progress: UploadProgress) => void) | null): number | null;
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
    /** ON_LOGIN, ON_LOGOUT, ON_TOPOADD, ON_TOPOREMOVE, ON_SUBREGISTER: a bare code first (0 = success), as HaaS. */
    on(event: 4 | 5 | 6 | 7 | 9, cb: (code: number, detail: GatewayOpData) => void): number;
    on(event: 8 | 15, cb: (data: GatewayOpData) => void): number;
    on(event: 10, cb: (data: ServiceData) => ServiceAnswer): number;
    on(event: 11, cb: (data: PropsData) => PropsAnswer): number;
    on(event: 12, cb: (data: ErrorData) => void): number;
    on(event: 13, cb: (data: ReplyData) => void): number;
    on(event: 14, cb: (data: RawData) => void): number;
    on(event: 16, cb: (notice: OtaNotice) => void): number;
    postProps(data: SubdevicePostProps, cb?: (reply: ReplyData) => void): number;
    postEvent(data: SubdevicePostEvent, cb?: (reply: ReplyData) => void): number;
    /**
     * ON_TOPOADD reports the result. Every list method also takes the name of a Storage file
     * holding the list (JSON, or one object per line), read from flash part by part.
     */
    addTopo(list: Subdevice[] | string): number;
    /** ON_TOPOGET reports the device list as JSON text. */
    getTopo(): number;
    /** ON_TOPOREMOVE reports the result. */
    removeTopo(list: SubdeviceRef[] | string): number;
    /** ON_LOGIN reports the result; logged-in sub-devices are logged in again after a reconnect. */
    login(list: Subdevice[] | string): number;
    /** ON_LOGOUT reports the result. */
    logout(list: SubdeviceRef[] | string): number;
    /** ON_SUBREGISTER reports the result; the issued secrets are kept in Storage. */
    registerSubDevice(list: SubdeviceRegistration[] | string): number;
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
