/**
 * File upload over MQTT (alink-protocol.md 5): subscribe the replies, init -> blocks -> done,
 * on /sys/pk/dn/thing/file/upload/mqtt/{init,send}. A block travels as one binary frame:
 *   [header length, 2 bytes big-endian][header JSON][block][CRC-16/ARC of the block, little-endian]
 * Blocks go one at a time; a block the cloud refuses (bad CRC) or does not answer is sent
 * again, up to RETRIES times. After a reconnect the session resends the unacknowledged frame,
 * and a block the cloud already holds (78126) counts as delivered, so an upload resumes where
 * it was.
 *
 * The callback gets {code, uploadId, fileName, size, offset, complete}: once per acknowledged
 * block (complete false, code 0) and once at the end (complete true; code 0, a cloud code, or
 * a negative Err).
 *
 * Optional part: createUpload() builds it; Device.uploadContent() calls it on first use.
 * clampBlock() is not part of it.
 */
import { Err } from '../errors';
import { T, topic, replyOf } from '../alink/topics';
import { request } from '../alink/message';
import { stringify } from '../alink/json';
import { Connection, Msg } from './connection';

/** Limits of the platform: 256 B .. 128 KB a block (all but the last >= 256 B). */
var MIN_BLOCK = 256;
var MAX_BLOCK = 131072;

export function clampBlock(n: any): number {
  return typeof n == 'number' && n >= MIN_BLOCK ? Math.min(Math.floor(n), MAX_BLOCK) : 2048;
}

export interface Upload {
  /**
   * Starts one upload of `data` (a binary string) as `fileName`. Returns 0 or an Err for bad
   * input; after 0, `cb` hears how it goes.
   */
  start(c: Connection, pk: string, dn: string, fileName: string, data: string, block: number, cb: (r: any) => void): number;
  /** The binary frame of one block (header JSON, block, CRC-16/ARC). */
  frame(header: string, block: string): string;
  crc16(s: string): number;
}

export function createUpload(): Upload {
  /** Limits of the platform: 16 MB a file. */
  var MAX_FILE = 16777216;
  var RETRIES = 5;
  var DUPLICATE_BLOCK = 78126;
  var BAD_CRC = 78121;

  /** CRC-16/ARC (poly 0xA001 reflected, init 0): bitwise, to spare the 512-byte table. */
  function crc16(s: string): number {
    var crc = 0;
    for (var i = 0; i < s.length; i++) {
      crc ^= s.charCodeAt(i);
      for (var b = 0; b < 8; b++) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
    }
    return crc;
  }

  /** The binary frame of one block. */
  function frame(header: string, block: string): string {
    var n = header.length;
    var crc = crc16(block);
    return String.fromCharCode(n >> 8, n & 255) + header + block + String.fromCharCode(crc & 255, crc >> 8);
  }

  /** fileName rules of the platform: letters, digits, "_" and ".", starting with a letter or digit, <= 100 bytes. */
  function validName(name: any): boolean {
    return typeof name == 'string' && name.length > 0 && name.length <= 100 && /^[A-Za-z0-9][A-Za-z0-9_.]*$/.test(name);
  }

  /**
   * Starts one upload of `data` (a binary string) as `fileName`. Returns 0 or an Err for bad
   * input; after 0, `cb` hears how it goes.
   */
  function upload(c: Connection, pk: string, dn: string, fileName: string, data: string, block: number, cb: (r: any) => void): number {
    if (!validName(fileName) || typeof data != 'string') return Err.BadArgument;
    if (data.length > MAX_FILE) return Err.TooLarge;
    var uploadId = '';
    var tries = 0;
    var size = data.length;

    function report(code: number, offset: number, complete: boolean) {
      cb({ code: code, uploadId: uploadId, fileName: fileName, size: size, offset: offset, complete: complete });
    }

    function send(offset: number) {
      var b = data.substring(offset, offset + block);
      var last = offset + b.length >= size;
      var code = c.ask_(
        topic(T.UpSend, pk, dn),
        function (id) {
          var params = { uploadId: uploadId, offset: offset, bSize: b.length, isComplete: last };
          return frame(request(id, '', stringify(params)), b);
        },
        function (rc: number, m?: Msg) {
          var next = offset + b.length;
          if (rc == DUPLICATE_BLOCK) rc = 0;
          if (rc) {
            // Retried on a bad CRC, no answer or a lost link; any other refusal is final.
            if ((rc == BAD_CRC || rc < 0) && rc != Err.Ended && ++tries <= RETRIES) return send(offset);
            return report(rc, offset, true);
          }
          tries = 0;
          var done = last || (m && m.data && m.data.complete);
          report(0, next, !!done);
          if (!done) send(next);
        },
      );
      if (code) report(code, offset, true);
    }

    function init(rc: number) {
      if (rc) return report(rc, 0, true);
      var params = { fileName: fileName, fileSize: size, conflictStrategy: 'overwrite', initUid: '' + Math.floor(Math.random() * 1e9) };
      rc = c.request_(topic(T.UpInit, pk, dn), '', params, function (rc: number, m?: Msg) {
        var d = (m && m.data) || {};
        if (rc || !d.uploadId) return report(rc || Err.UploadFailed, 0, true);
        uploadId = d.uploadId;
        send(d.offset > 0 ? d.offset : 0);
      });
      if (rc) report(rc, 0, true);
    }

    // The upload replies are not among what _ss=1 subscribes for the device: Link SDK 4.x
    // (aiot_mqtt_upload_api.c) and the HaaS module subscribe all three before init. SUBACKs come
    // in order, so the last one's callback says all three are in place.
    var rows = [T.UpInit, T.UpSend, T.UpCancel];
    var r = 0;
    for (var i = 0; i < 3 && !r; i++) r = c.session_.subscribe(replyOf(topic(rows[i], pk, dn)), 0, i == 2 ? init : undefined);
    return r;
  }

  return { start: upload, frame: frame, crc16: crc16 };
}
