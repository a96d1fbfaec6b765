/**
 * require("aliyunIoT"): the public entry of the on-device module.
 * (Skeleton: Device and Gateway arrive with their issues.)
 */
export var version = '0.1.0';
