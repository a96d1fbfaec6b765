/** https.ts: the form encoding, and postForm on SimBoard's http against a loopback HTTPS server. */
import * as https from 'https';
import { createTlsMaterial } from '../../sim/cloud/ca';
import { SimBoard } from '../../sim/board';
import { createFormPost } from '../../src/board/https';
import { boardWith } from './simboard';

const { form } = createFormPost();

const HttpFailed = -206;

describe('form', () => {
  it('fields in order, unreserved chars kept, others %XX (bytes >= 0x80 as their byte)', () => {
    expect(form({ productKey: 'a1TestPK001', deviceName: 'dev 1&x=y', random: 'r~._-', sign: 'ab', m: '\xe4\xb8\xad' })).toBe(
      'productKey=a1TestPK001&deviceName=dev%201%26x%3Dy&random=r~._-&sign=ab&m=%E4%B8%AD',
    );
  });
});

describe('postForm on SimBoard', () => {
  const mat = createTlsMaterial();
  let server: https.Server;
  let port = 0;
  let reply: { status: number; body: string } = { status: 200, body: '{}' };
  let seen: { method?: string; url?: string; headers?: any; body?: string } = {};
  let board: SimBoard;

  beforeAll(async () => {
    server = https.createServer({ key: mat.keyPem, cert: mat.certPem }, (req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        seen = { method: req.method, url: req.url, headers: req.headers, body };
        res.writeHead(reply.status, { 'Content-Type': 'application/json' });
        res.end(reply.body);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as any).port;
  });
  afterAll(() => new Promise((r) => server.close(r)));
  beforeEach(() => {
    board = boardWith(['https']);
  });
  afterEach(() => board.close());

  const post = async (url: string) => {
    board.global.U = url;
    board.run(`require('board_https').createFormPost().post(U, { productKey: 'a1', deviceName: 'd1', random: '42', sign: 'ab12', signMethod: 'hmacsha256' },
      function (c, j) { R.ev.push([c, j === undefined ? 'undefined' : JSON.stringify(j)]); });`);
    await board.waitFor(() => board.global.R.ev.length > 0, 10000);
    // nothing more comes: the board has run everything it had scheduled
    await board.settled();
    return board.global.R.ev.map((e: any) => [e[0], e[1]]);
  };

  it('200 + JSON -> cb(0, json) once; POST form with Content-Length and the path', async () => {
    reply = { status: 200, body: '{"code":200,"data":{"deviceSecret":"s3cr3t"},"message":"success"}' };
    expect(await post(`https://127.0.0.1:${port}/auth/register/device`)).toEqual([
      [0, '{"code":200,"data":{"deviceSecret":"s3cr3t"},"message":"success"}'],
    ]);
    expect(seen.method).toBe('POST');
    expect(seen.url).toBe('/auth/register/device');
    expect(seen.body).toBe('productKey=a1&deviceName=d1&random=42&sign=ab12&signMethod=hmacsha256');
    expect(seen.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(seen.headers['content-length']).toBe(String(seen.body!.length));
  });

  it('non-200 status with a JSON body -> HttpFailed with the json', async () => {
    reply = { status: 400, body: '{"code":6100}' };
    expect(await post(`https://127.0.0.1:${port}/x`)).toEqual([[HttpFailed, '{"code":6100}']]);
  });

  it('200 with a body that is not JSON -> HttpFailed, undefined', async () => {
    reply = { status: 200, body: '<html>' };
    expect(await post(`https://127.0.0.1:${port}/x`)).toEqual([[HttpFailed, 'undefined']]);
  });

  it('unknown host (request throws synchronously) -> HttpFailed once, nothing uncaught', async () => {
    expect(await post('https://no.such.host.invalid/auth')).toEqual([[HttpFailed, 'undefined']]);
    expect(board.uncaught).toEqual([]);
  });
});
