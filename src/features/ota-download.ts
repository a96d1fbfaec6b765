/**
 * Downloads an OTA package into a Storage file, one block at a time: the block being filled
 * is the only part of the package in RAM, whatever its size. The first block creates the file
 * at the package's size (Espruino then writes each later block into it at its offset).
 *
 * A cut link, a silent server or a refused request costs at most the block being filled: the
 * next request asks for the rest from the last block written (HTTP Range; a server that sends
 * the whole file again is read past what is already stored). RETRIES attempts in a row without
 * a new block give up, with a pause that doubles from 1 s up to 30 s between them.
 */
import { Err } from '../errors';
import { getFrom } from '../board/http-get';
import { writeAt } from '../board/storage';

/** Bytes per Storage write, and so the most of the package held in RAM. */
export var BLOCK = 1024;

export interface DownloadEvents {
  /** Bytes now in Storage (after each block). */
  stored(bytes: number): void;
  /** Once: 0 when all `size` bytes are stored, Err.OtaDownloadFailed or Err.StorageFailed. */
  done(code: number): void;
}

var RETRIES = 6;
/** No byte for this long: the server is taken for gone. */
var IDLE_MS = 20000;

/** Starts the download; the returned function stops it (no further events). */
export function download(url: string, file: string, size: number, ev: DownloadEvents): () => void {
  var written = 0;
  var buf = '';
  var tries = 0;
  var over = false;
  var stop: () => void;
  var timer: any;

  function finish(code: number) {
    if (over) return;
    over = true;
    if (stop) stop();
    ev.done(code);
  }

  /** Writes the first `n` bytes of buf at `written`; false (and finished) if Storage refused. */
  function flush(n: number): boolean {
    if (writeAt(file, buf.substring(0, n), written, written ? undefined : size)) {
      finish(Err.StorageFailed);
      return false;
    }
    written += n;
    buf = buf.substring(n);
    tries = 0;
    ev.stored(written);
    return true;
  }

  function fetch() {
    timer = 0;
    buf = '';
    // bytes still to skip when the server ignores Range and starts from 0
    var skip = 0;
    var from = written;
    stop = getFrom(
      url,
      from,
      {
        head: function (status) {
          skip = status == '206' ? 0 : from;
        },
        data: function (d) {
          if (over) return;
          if (skip) {
            var k = Math.min(skip, d.length);
            d = d.substring(k);
            skip -= k;
          }
          buf += d.substring(0, size - written - buf.length);
          while (buf.length >= BLOCK) if (!flush(BLOCK)) return;
        },
        end: function () {
          if (over) return;
          if (written + buf.length == size) {
            if (!buf.length || flush(buf.length)) finish(0);
          } else if (++tries > RETRIES) finish(Err.OtaDownloadFailed);
          else timer = setTimeout(fetch, Math.min(30000, 1000 << (tries - 1)));
        },
      },
      IDLE_MS,
    );
  }

  // from a fresh tick: the notice arrives in a socket's data handler, and opening a socket
  // from inside one crashes Espruino's network layer (JASSERT(net) in network.c, found on the
  // Linux build; the same holds for tls.connect)
  timer = setTimeout(fetch, 0);
  return function () {
    over = true;
    if (timer) clearTimeout(timer);
    if (stop) stop();
  };
}
