/** The console page in a real browser (Debian's chromium through playwright-core): a user
 *  sets a property with the form, sees the device's reply (code 200) and the reported value,
 *  calls a service, and device text shows as text, never as markup.
 *  Without /usr/bin/chromium these tests are skipped with a message, except under CI=true, where
 *  that fails (`.ci/run` installs it). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { DN, HOSTILE_LABEL, PK, consoleRig, type ConsoleRig } from './rig';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = path.resolve(__dirname, '../../build/console.png');
const haveChromium = fs.existsSync(CHROMIUM);

if (!haveChromium) {
  // CI installs chromium (.ci/run): there a missing browser is a failure, never a skipped suite.
  if (process.env.CI) throw new Error(`${CHROMIUM} is not installed: .ci/run installs it (apt-get install -y chromium)`);
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
    const result = page.locator('#service-calls li .result', { hasText: 'reply code 200' });
    await result.waitFor();
    expect(await result.textContent()).toContain('{"echoed":{"word":"hi"}}');
  });

  test('each service call shows its own result next to it, newest first', async () => {
    for (const word of ['one', 'two']) {
      await page.fill('#service-id', 'Echo');
      await page.fill('#service-params', JSON.stringify({ word }));
      await page.click('#service-submit');
    }
    const calls = page.locator('#service-calls li');
    await calls.nth(1).locator('.result', { hasText: 'reply code 200' }).waitFor();
    await calls.nth(0).locator('.result', { hasText: 'reply code 200' }).waitFor();
    for (const [i, word] of [[0, 'two'], [1, 'one']] as const) {
      expect(await calls.nth(i).locator('.call-what').textContent()).toContain(`"word":"${word}"`);
      expect(await calls.nth(i).locator('.result').textContent()).toContain(`{"echoed":{"word":"${word}"}}`);
    }
  });

  test('the forms offer the thing model: writable properties to add, services that fill in their inputs', async () => {
    // The page fills both lists when the thing model arrives: wait for them, then read them whole.
    await page.locator('#set-property option[value="Label"]').waitFor({ state: 'attached' });
    await page.locator('#service-ids option[value="Ping"]').waitFor({ state: 'attached' });
    const options = await page.locator('#set-property option').evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value).filter(Boolean));
    expect(options).toEqual(['Brightness', 'Label']); // Uptime is read-only
    await page.fill('#set-params', '{"Label": "x"}');
    await page.selectOption('#set-property', 'Brightness');
    expect(JSON.parse(await page.inputValue('#set-params'))).toEqual({ Label: 'x', Brightness: 0 });
    const services = await page.locator('#service-ids option').evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value));
    expect(services).toEqual(['Echo', 'Reboot', 'Ping']);
    await page.fill('#service-id', 'Reboot');
    expect(JSON.parse(await page.inputValue('#service-params'))).toEqual({ DelaySec: 0 });
    expect(await page.isChecked('#service-sync')).toBe(false);
    await page.fill('#service-id', 'Ping');
    expect(await page.isChecked('#service-sync')).toBe(true);
  });

  test('a numeric property shows its recent values as a small chart; text has none', async () => {
    // Brightness was reported as 10, then 42 after the set above.
    const chart = page.locator('tr[data-property="Brightness"] svg.spark');
    await chart.waitFor();
    expect(Number(await chart.getAttribute('data-points'))).toBeGreaterThanOrEqual(2);
    expect(await page.locator('tr[data-property="Brightness"] svg.spark polyline').getAttribute('points')).toMatch(/^[\d.]+,[\d.]+( [\d.]+,[\d.]+)+$/);
    expect(await page.locator('tr[data-property="Label"] svg').count()).toBe(0);
  });

  test('the message log can be filtered by text', async () => {
    await page.fill('#log-filter', 'property/set');
    const topics = await page.locator('#messages tbody td.topic').allTextContents();
    expect(topics.length).toBeGreaterThan(0);
    for (const t of topics) expect(t).toContain('property/set');
    await page.fill('#log-filter', 'no-such-text-anywhere');
    expect(await page.locator('#messages tbody tr').count()).toBe(0);
    await page.fill('#log-filter', '');
    expect(await page.locator('#messages tbody tr').count()).toBeGreaterThan(topics.length);
  });

  test('selecting another device resets the forms and the call results', async () => {
    await page.fill('#set-params', '{"Brightness": 7}');
    await page.fill('#service-id', 'Echo');
    expect(await page.locator('#service-calls li').count()).toBeGreaterThan(0);
    await page.click('#devices button[data-key="a1ConsoleGw/gw001"]');
    await page.locator('#dev-title', { hasText: 'gw001' }).waitFor();
    expect(await page.inputValue('#set-params')).toBe('{}');
    expect(await page.inputValue('#service-id')).toBe('');
    expect(await page.locator('#service-calls li').count()).toBe(0);
    // the gateway's product has no thing model: only the placeholder option stays
    await page.locator('#set-property option').nth(1).waitFor({ state: 'detached' });
    expect(await page.locator('#set-property option').count()).toBe(1);
    await page.click(`#devices button[data-key="${PK}/${DN}"]`);
    await page.locator('#dev-title', { hasText: DN }).waitFor();
    await page.locator('#set-property option[value="Brightness"]').waitFor({ state: 'attached' });
  });

  test('usable at phone width: nothing wider than the screen, the forms in reach', async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
    try {
      phone.setDefaultTimeout(10000);
      await phone.goto(`${rig.cloud.consoleUrl}#${PK}/${DN}`);
      await phone.locator('#dev-state', { hasText: 'online' }).waitFor();
      await phone.locator('#messages tbody tr').first().waitFor();
      // The page's own globals, seen from Node's type-check as any.
    const widths = await phone.evaluate(() => {
      const g = globalThis as any;
      return { page: g.document.documentElement.scrollWidth as number, screen: g.innerWidth as number };
    });
      expect(widths.page).toBeLessThanOrEqual(widths.screen);
      for (const id of ['#set-submit', '#service-submit', '#log-filter']) {
        const box = (await phone.locator(id).boundingBox())!;
        expect(box.x).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width).toBeLessThanOrEqual(390);
      }
      await phone.screenshot({ path: SCREENSHOT.replace('.png', '-phone.png'), fullPage: true });
    } finally {
      await phone.close();
    }
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
