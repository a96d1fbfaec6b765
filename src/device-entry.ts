/** A bundle that exports only Device (build/aliyunIoT-device.min.js): what a board that never
 *  acts as a gateway would load. Built for the size bench; the public module is index.ts. */
export { Device } from './device';
