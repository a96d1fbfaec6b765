/**
 * aliyunIoT.Device: a directly connected device, with the API of the HaaS Python aliyunIoT Device document and its
 * event numbers: ON_CONNECT=1, ON_CLOSE=2, ON_DISCONNECT=3, ON_EVENT=4, ON_SERVICE=5,
 * ON_SUBCRIBE=6 (also spelt ON_SUBSCRIBE), ON_PROPS=7, ON_ERROR=8, ON_REPLY=9, ON_RAWDATA=10,
 * + ON_OTA=11 (an over-the-air update notice, features/ota.ts).
 */
import { Err } from './errors';
import { Core, install, init, appCall } from './facade';
import { postRaw, byteString } from './features/thing';
import { createUpload, clampBlock, Upload } from './features/upload';
import { createRegistration, Registration } from './features/register';
import { read } from './board/storage';

export interface Device extends Core, DeviceMethods {
  /** local upload task ids */
  uploadTasks_: number;
}
type DeviceMethods = typeof deviceMethods;

/**
 * A constructor function with its methods in an object that install() copies onto the
 * prototype (a class would cost each method a scope chain on the board).
 */
export function Device(this: Device): any {
  // `aliyunIoT.Device()` without `new` works too, as in the HaaS module
  if (!(this instanceof Device)) return new (Device as any)();
  init(this);
  this.uploadTasks_ = 0;
}

/** The optional parts a Device builds on first use (shared by every Device of the board). */
var registration: Registration | undefined;
var uploads: Upload | undefined;

var deviceMethods = {
  /** {param: bytes (Uint8Array, array or binary string)} to the product's parsing script. */
  postRaw(this: Device, data: any): number {
    var r = this.ready_('postRaw');
    if (!r) r = data ? postRaw(this.connection_!, this.productKey_, this.deviceName_, data.param) : Err.BadArgument;
    return r && this.fail_(r, 'postRaw');
  },

  /**
   * Dynamic registration; the secret goes to Storage. As in HaaS, cb(deviceSecret) on success
   * (the deviceToken after a registration without pre-registration), + a second argument
   * {code: 0, productKey, deviceName}. A failure is reported on ON_ERROR {code, message: "register"}
   * (HaaS never calls back then, so a HaaS script never takes a failure for a secret).
   */
  register(this: Device, info: any, cb: any): number {
    var self = this;
    if (!info || typeof cb != 'function') return this.fail_(Err.BadArgument, 'register');
    registration = registration || createRegistration();
    var r = registration.register(info, function (code, rec) {
      if (code) self.fail_(code, 'register');
      else appCall(cb, rec.deviceSecret || rec.deviceToken, { code: 0, productKey: rec.productKey, deviceName: rec.deviceName });
    });
    return r && this.fail_(r, 'register');
  },

  /** What register() stored: {productKey, deviceName, deviceSecret, productSecret}, or null. */
  getDeviceInfo(this: Device): any {
    return this.storedInfo_();
  },

  getDeviceHandle(this: Device): any {
    return this;
  },

  /** Uploads the Storage file `fileName`. Returns a local task id, or null for bad input. */
  uploadFile(this: Device, fileName: any, cb?: any): number | null {
    var data = read(fileName);
    if (data === undefined) {
      this.fail_(Err.NotFound, 'uploadFile');
      return null;
    }
    return this.uploadContent(fileName, data, cb);
  },

  /** Uploads `buf` (text or bytes) as `fileName`. Returns a local task id, or null for bad input. */
  uploadContent(this: Device, fileName: any, buf: any, cb?: any): number | null {
    var r = this.ready_('uploadContent');
    var bytes = byteString(buf);
    if (!r && typeof bytes == 'number') r = bytes;
    if (!r) {
      uploads = uploads || createUpload();
      r = uploads.start(this.connection_!, this.productKey_, this.deviceName_, fileName, bytes as string, clampBlock(this.connectInfo_.uploadBlockSize), function (res) {
        appCall(cb, res);
      });
    }
    if (r) {
      this.fail_(r, 'uploadContent');
      return null;
    }
    return ++this.uploadTasks_;
  },
};

install(
  Device,
  deviceMethods,
  { ON_CONNECT: 1, ON_CLOSE: 2, ON_DISCONNECT: 3, ON_EVENT: 4, ON_SERVICE: 5, ON_SUBCRIBE: 6, ON_SUBSCRIBE: 6, ON_PROPS: 7, ON_ERROR: 8, ON_REPLY: 9, ON_RAWDATA: 10, ON_OTA: 11 },
);
