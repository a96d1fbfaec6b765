/**
 * Where a device connects (alink-protocol.md 1.1): the MQTT endpoint of its instance.
 *
 * - New-version public instances and Enterprise instances (every account opened since 2021):
 *   `<instanceId>.mqtt.iothub.aliyuncs.com`, shown with the instance id in the console's
 *   instance details (实例详情 > 开发配置 / 查看开发配置). `instanceId` builds it; the endpoint
 *   itself may be given as `host`, copied as the console shows it (with or without a scheme
 *   and a port).
 * - Legacy public instances: `<productKey>.iot-as-mqtt.<region>.aliyuncs.com`.
 *
 * The instance id also goes into dynamic registration's clientId; when only the endpoint is
 * given, it is read from the host as Link SDK 4.x does.
 */

/** The suffix of instance endpoints. */
export var INSTANCE_SUFFIX = '.mqtt.iothub.aliyuncs.com';

export interface Endpoint {
  host: string;
  port: number;
  /** the instance id (given, or read from an instance host); '' on a legacy endpoint */
  instanceId: string;
}

/**
 * The MQTT endpoint for connect()/register() info: host (and port) as given, else the
 * instance's, else the legacy one for the region. undefined when `host` or `instanceId` is not
 * text (bad input).
 */
export function mqttEndpoint(info: any): Endpoint | undefined {
  var h = info.host, id = info.instanceId;
  if ((h !== undefined && typeof h != 'string') || (id !== undefined && typeof id != 'string')) return undefined;
  var port = 0;
  if (h) {
    // "mqtts://host:port" as some consoles and SDK samples write it
    var at = h.indexOf('://');
    if (at >= 0) h = h.substring(at + 3);
    var colon = h.indexOf(':');
    if (colon >= 0) {
      port = parseInt(h.substring(colon + 1), 10) || 0;
      h = h.substring(0, colon);
    }
    var slash = h.indexOf('/');
    if (slash >= 0) h = h.substring(0, slash);
    if (!id && h.length > INSTANCE_SUFFIX.length && h.substring(h.length - INSTANCE_SUFFIX.length) == INSTANCE_SUFFIX) {
      id = h.substring(0, h.length - INSTANCE_SUFFIX.length);
    }
  } else h = id ? id + INSTANCE_SUFFIX : info.productKey + '.iot-as-mqtt.' + (info.region || 'cn-shanghai') + '.aliyuncs.com';
  return { host: h, port: info.port || port || 1883, instanceId: id || '' };
}
