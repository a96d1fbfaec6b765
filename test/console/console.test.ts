/** The console page in a real browser (Debian's chromium through playwright-core): a user
 *  sets a property with the form, sees the device's reply (code 200) and the reported value,
 *  calls a service, and device text shows as text, never as markup.
 *  Without /usr/bin/chromium these tests are skipped with a message (`.ci/run` installs it). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { DN, HOSTILE_LABEL, PK, consoleRig, type ConsoleRig } from './rig';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = path.resolve(__dirname, '../../build/console.png');
const haveChromium = fs.existsSync(CHROMIUM);

if (!haveChromium) {
  // eslint-disable-next-line no-console
  console.warn(`console browser tests SKIPPED: ${CHROMIUM} is not installed (apt-get install -y chromium)`);
}

(haveChromium ? describe : describe.skip)('console page in chromium', () => {
  let rig: ConsoleRig;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    rig = await consoleRig();
    // launch() gives the browser a fresh temporary profile of its own.
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    // Fail well inside jest's 30 s with playwright's own message (what it waited for).
    page.setDefaultTimeout(10000);
    await page.goto(`${rig.cloud.consoleUrl}#${PK}/${DN}`);
    await page.locator('#dev-state', { hasText: 'online' }).waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await rig?.close();
  });

  test('setting a property in the form shows the device reply and the new reported value', async () => {
    await page.fill('#set-params', '{"Brightness": 42}');
    await page.click('#set-submit');
    await page.locator('#set-result', { hasText: 'reply code 200' }).waitFor();
    const brightness = page.locator('tr[data-property="Brightness"] td.value');
    await brightness.filter({ hasText: /^42$/ }).waitFor();
    expect(await brightness.textContent()).toBe('42');
    expect(rig.cloud.api.properties(PK, DN).Brightness?.value).toBe(42);
  });

  test('invoking a service in the form shows the outputs the device answered', async () => {
    await page.fill('#service-id', 'Echo');
    await page.fill('#service-params', '{"word": "hi"}');
    await page.check('#service-sync');
    await page.click('#service-submit');
    const result = page.locator('#service-result', { hasText: 'reply code 200' });
    await result.waitFor();
    expect(await result.textContent()).toContain('{"echoed":{"word":"hi"}}');
  });

  test('the live log lists the exchange and device text is shown as text, not markup', async () => {
    await page.locator('#messages td.topic', { hasText: '/thing/service/property/set' }).first().waitFor();
    // The device's report of the new value (logged before, but sent after, its reply).
    const report = page.locator('#messages tr', { has: page.locator('td.topic', { hasText: '/thing/event/property/post' }) }).filter({ hasText: '"Brightness":42' });
    await report.first().waitFor();
    expect(await report.first().locator('td.verdict').textContent()).toBe('replied 200');
    const label = page.locator('tr[data-property="Label"] td.value');
    expect(await label.textContent()).toBe(JSON.stringify(HOSTILE_LABEL));
    expect(await page.locator('#properties img, #messages img').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as { __xss?: number }).__xss)).toBeUndefined();
  });

  test('a readable screenshot is written to build/console.png', async () => {
    fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(fs.statSync(SCREENSHOT).size).toBeGreaterThan(10000);
  });
});
