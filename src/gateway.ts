/**
 * aliyunIoT.Gateway: a gateway and its sub-devices over one connection, with the HaaS API
 * (the HaaS Python aliyunIoT Gateway document) and its event numbers: ON_CONNECT=0, ON_DISCONNECT=1, ON_CLOSE=2,
 * ON_SUBCRIBE=3 (also ON_SUBSCRIBE), ON_LOGIN=4, ON_LOGOUT=5, ON_TOPOADD=6, ON_TOPOREMOVE=7,
 * ON_TOPOGET=8, ON_SUBREGISTER=9, and continuing: ON_SERVICE=10, ON_PROPS=11, ON_ERROR=12,
 * ON_REPLY=13, ON_RAWDATA=14, ON_TOPOCHANGE=15, ON_OTA=16 (update notices, sub-devices' with
 * their productKey and deviceName).
 *
 * Management callbacks get what the HaaS C module gives (module_aiot_gateway.c,
 * aiot_subdev_notify): ON_LOGIN, ON_LOGOUT, ON_TOPOADD, ON_TOPOREMOVE and ON_SUBREGISTER a bare
 * code (0 on success, else the cloud's code or a negative Err), + then {code, message} with the
 * reply data as JSON text; ON_TOPOGET {code, message}, message the device list as JSON text.
 * Sub-devices post with postProps/postEvent given their productKey and deviceName; their
 * property sets and service calls arrive with productKey and deviceName in the data.
 *
 * Optional part: createGateway() builds the class and its sub-device code (features/subdev.ts);
 * index.ts calls it the first time an app reads aliyunIoT.Gateway, so a Device app never
 * creates any of it.
 */
import { Err } from './errors';
import { T, Parsed } from './alink/topics';
import { parse } from './alink/json';
import { Core, core, EventName, install, init } from './facade';
import { createSubdevices, Subdevs, Op } from './features/subdev';

export interface Gateway extends Omit<Core, keyof GatewayMethods>, GatewayMethods {
  subdevices_: Subdevs | undefined;
}
/** The methods createGateway() installs (see gatewayMethods there). */
interface GatewayMethods {
  connect(info: any): number;
  route_(p: Parsed, t: string, payload: string): boolean;
  connected_(): void;
  op_(method: string, ev: EventName, start: (s: Subdevs, cb: (code: number, message: string) => void) => number): number;
  getTopo(): number;
  target_(data: any, method: string): string[] | number;
  getGatewayInfo(): any;
  getGatewayHandle(): any;
  addTopo(list: any): number;
  removeTopo(list: any): number;
  login(list: any): number;
  logout(list: any): number;
  registerSubDevice(list: any): number;
  list_(method: string, ev: EventName, op: Op, list: any): number;
}

/** Builds aliyunIoT.Gateway: the constructor with its methods and ON_* constants installed. */
export function createGateway(): any {
  var subdevices = createSubdevices();

  /** A constructor function with its methods in an object that install() copies (as Device). */
  function Gateway(this: Gateway): any {
    if (!(this instanceof Gateway)) return new (Gateway as any)();
    init(this);
  }

  var gatewayMethods = {
    /** Connects as Core does, with the sub-device state of this connection. */
    connect(this: Gateway, info: any): number {
      var r = core.connect.call(this, info);
      if (!r) this.subdevices_ = subdevices(this.connection_!, this.productKey_, this.deviceName_);
      return r;
    },

    /** Topology changes from the cloud, then what every device takes (Core). */
    route_(this: Gateway, p: Parsed, t: string, payload: string): boolean {
      if (p.kind != T.TopoChange || p.reply) return core.route_.call(this, p, t, payload);
      var m = parse(payload);
      if (m) {
        this.subdevices_!.changed_(m.params);
        this.connection_!.reply_(t + '_reply', '' + m.id, 200);
        this.fire_('ON_TOPOCHANGE', { code: 0, message: payload });
      }
      return true;
    },

    connected_(this: Gateway): void {
      var self = this;
      // Sub-devices were logged out with the connection; log them in again.
      this.subdevices_!.relogin_(function (code) {
        if (code) self.fail_(code, 'login');
      });
    },

    /** Runs one management operation and reports it through `ev`: cb(code, {code, message}), or
     *  cb({code, message}) for ON_TOPOGET (as HaaS). */
    op_(this: Gateway, method: string, ev: EventName, start: (s: Subdevs, cb: (code: number, message: string) => void) => number): number {
      var self = this;
      var r = this.ready_(method);
      if (!r)
        r = start(this.subdevices_!, function (code, message) {
          var d = { code: code, message: message };
          if (ev == 'ON_TOPOGET') self.fire_(ev, d);
          else self.fire_(ev, code, d);
        });
      return r && this.fail_(r, method);
    },

    getTopo(this: Gateway): number {
      return this.op_('getTopo', 'ON_TOPOGET', function (s, cb) {
        return s.getTopo_(cb);
      });
    },

    /** Posts go for the gateway itself or, named in `data`, for a logged-in sub-device. */
    target_(this: Gateway, data: any, method: string): string[] | number {
      var r = this.ready_(method);
      if (r) return r;
      if (!data) return this.fail_(Err.BadArgument, method);
      var pk = data.productKey || this.productKey_, dn = data.deviceName || this.deviceName_;
      return this.subdevices_!.may_(pk, dn) ? [pk, dn] : this.fail_(Err.SubdevNotLoggedIn, method);
    },

    getGatewayInfo(this: Gateway): any {
      return this.storedInfo_();
    },

    getGatewayHandle(this: Gateway): any {
      return this;
    },

    addTopo(this: Gateway, list: any): number {
      return this.list_('addTopo', 'ON_TOPOADD', Op.AddTopo, list);
    },

    removeTopo(this: Gateway, list: any): number {
      return this.list_('removeTopo', 'ON_TOPOREMOVE', Op.RemoveTopo, list);
    },

    login(this: Gateway, list: any): number {
      return this.list_('login', 'ON_LOGIN', Op.Login, list);
    },

    logout(this: Gateway, list: any): number {
      return this.list_('logout', 'ON_LOGOUT', Op.Logout, list);
    },

    registerSubDevice(this: Gateway, list: any): number {
      return this.list_('registerSubDevice', 'ON_SUBREGISTER', Op.Register, list);
    },

    /** Runs sub-device operation `op` on `list` for `method`, reported through `ev`. */
    list_(this: Gateway, method: string, ev: EventName, op: Op, list: any): number {
      return this.op_(method, ev, function (s, cb) {
        return s.run_(op, list, cb);
      });
    },
  };

  install(
    Gateway,
    gatewayMethods,
    {
      ON_CONNECT: 0, ON_DISCONNECT: 1, ON_CLOSE: 2, ON_SUBCRIBE: 3, ON_SUBSCRIBE: 3, ON_LOGIN: 4, ON_LOGOUT: 5, ON_TOPOADD: 6, ON_TOPOREMOVE: 7,
      ON_TOPOGET: 8, ON_SUBREGISTER: 9, ON_SERVICE: 10, ON_PROPS: 11, ON_ERROR: 12, ON_REPLY: 13, ON_RAWDATA: 14, ON_TOPOCHANGE: 15,
      ON_OTA: 16,
    },
  );

  return Gateway;
}
