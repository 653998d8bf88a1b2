// The console end to end in Debian's Chromium against the real server (in process, a fresh PGlite
// folder, the demo operator seeded). A customer declines face recognition at the counter (the
// agent's steps through the API, as the kiosk sends them), so the registration waits for manual
// review:
// - the store manager signs in (one-time password, then a new one), finds it in the review queue
//   and approves it with a note; the agent then assigns a number and completes it;
// - (d) the regulator sees the registration in the statistics (per operator, store, agent) and
//   verifies the audit chain, and downloads the inspection export;
// - the operator admin imports numbers from a CSV file (a row report for the bad ones) and
//   changes a policy setting;
// - (e) an agent cannot use the console: the login is refused, and with an agent's session put in
//   place the regulator's audit page is refused by the page and its data by the server (403).
// Every screen is saved to docs/screenshots/console-*.png.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { loadConfig } from '../../src/config/config.ts';
import { createPortrait, type Portrait } from '../../src/server/server.ts';
import { seedDemo, type DemoSeed } from '../../src/demo/seed-demo.ts';
import { residentId } from '../../src/registration/registration.fixtures.ts';
import { chromiumPath, chromiumArgs } from './browser.ts';
import { apiClient } from './api.ts';

const root = path.resolve(import.meta.dirname, '../..');
const shots = path.join(root, 'docs/screenshots');
const NEW_PASSWORD = 'Console-Staff-2026!';

describe('operator and regulator console in Chromium', () => {
  let dir: string, portrait: Portrait, seed: DemoSeed, origin: string, browser: Browser;
  const passwords = new Map<string, string>();

  before(async () => {
    assert.ok(existsSync(path.join(root, 'web/dist/console/index.html')), 'the web apps are not built: npm run build:web');
    dir = mkdtempSync(path.join(tmpdir(), 'portrait-console-'));
    mkdirSync(shots, { recursive: true });
    const config = loadConfig({ DATA_DIR: path.join(dir, 'data'), LOG_LEVEL: 'warn', PORTRAIT_MASTER_KEY: 'ab'.repeat(32), FACE_ENGINE: 'none' });
    portrait = await createPortrait(config, {});
    seed = await seedDemo(portrait.db, portrait.services.staff);
    for (const a of seed.accounts) passwords.set(a.username, a.oneTimePassword);
    origin = await portrait.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs });
  });
  after(async () => {
    await browser?.close();
    await portrait?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The API as a client sends it (JSON, bearer token). */
  const api = apiClient(() => origin);

  /** Signs in through the API (first login: the one-time password is replaced), for the agent's steps. */
  async function token(username: string): Promise<string> {
    const r = await api<{ token: string; staff: { mustChangePassword: boolean } }>('POST', '/v1/auth/login', undefined, { username, password: passwords.get(username) });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    if (r.json.staff.mustChangePassword) {
      assert.equal((await api('POST', '/v1/auth/password', r.json.token, { currentPassword: passwords.get(username), newPassword: NEW_PASSWORD })).status, 204);
      passwords.set(username, NEW_PASSWORD);
    }
    return r.json.token;
  }

  async function open(): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN', acceptDownloads: true });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${origin}/console/`);
    return { page, errors };
  }

  async function shot(page: Page, name: string): Promise<void> {
    await page.locator('.overlay').waitFor({ state: 'hidden' });
    await page.screenshot({ path: path.join(shots, `console-${name}.png`), fullPage: true });
  }

  /** Signs in through the console's own screens (and sets the new password on a first login). */
  async function signIn(page: Page, username: string, screenshots = false): Promise<void> {
    await page.getByLabel('用户名').fill(username);
    await page.getByLabel('密码', { exact: true }).fill(passwords.get(username)!);
    if (screenshots) await shot(page, '01-login');
    await page.getByRole('button', { name: '登录' }).click();
    if (passwords.get(username) !== NEW_PASSWORD) {
      await page.getByLabel('新密码', { exact: true }).fill(NEW_PASSWORD);
      await page.getByLabel('再次输入新密码').fill(NEW_PASSWORD);
      if (screenshots) await shot(page, '02-new-password');
      await page.getByRole('button', { name: '保存新密码' }).click();
      passwords.set(username, NEW_PASSWORD);
    }
    await page.locator('nav.menu').waitFor();
  }

  let registrationId: string, msisdn: string;

  test('a store manager approves a manual review in the queue; the agent completes the registration', async () => {
    const agent = await token('demo.agent');
    const person = { type: 'cn_resident_id', number: residentId('19850412', 311), name: '王芳' };
    const reg = await api<{ id: string }>('POST', '/v1/registrations', agent);
    registrationId = reg.json.id;
    assert.equal((await api('POST', `/v1/registrations/${registrationId}/document`, agent, { document: person })).status, 200);
    const consent = await api<{ version: string }>('GET', '/v1/consent-texts/current?locale=zh-CN', agent);
    assert.equal((await api('POST', `/v1/registrations/${registrationId}/consent`, agent, { biometric: false, textVersion: consent.json.version, locale: 'zh-CN' })).status, 200);
    assert.equal((await api('POST', `/v1/registrations/${registrationId}/manual-review`, agent)).status, 200);

    const { page, errors } = await open();
    await signIn(page, 'demo.manager', true);
    await page.getByRole('heading', { name: '人工核验' }).waitFor();
    const item = page.locator('article.review');
    await item.waitFor();
    assert.match(await item.locator('.docline').innerText(), /\*{4,}/, 'the document number is masked');
    assert.ok(!(await page.content()).includes(person.number), 'no full ID number on the page');
    assert.ok(!(await page.content()).includes(person.name), 'no full name on the page');
    await page.getByRole('button', { name: '核验通过' }).click();
    assert.equal(await page.getByLabel('核验说明（必填，记入审计）').getAttribute('aria-invalid'), 'true', 'a decision needs a note');
    await page.getByLabel('核验说明（必填，记入审计）').fill('核对身份证原件与本人一致');
    await shot(page, '03-review-queue');
    await page.getByRole('button', { name: '核验通过' }).click();
    await page.getByText('已记录：人工核验通过。').waitFor();
    await page.getByText('目前没有待人工核验的登记。').waitFor();
    await shot(page, '04-review-approved');
    // the manager's own store, in the statistics
    await page.getByRole('link', { name: '统计' }).click();
    await page.locator('.kpis').waitFor();
    assert.deepEqual(errors, []);
    await page.close();

    assert.equal((await api('POST', `/v1/registrations/${registrationId}/rules`, agent)).status, 200);
    assert.equal((await api('POST', `/v1/registrations/${registrationId}/number`, agent)).status, 200);
    const done = await api<{ state: string }>('POST', `/v1/registrations/${registrationId}/complete`, agent);
    assert.equal(done.json.state, 'completed');
    msisdn = (await api<{ msisdn: string }>('GET', `/v1/registrations/${registrationId}/receipt`, agent)).json.msisdn;
  });

  test('(d) the regulator sees the registration in the statistics, verifies the audit chain and downloads the export', async () => {
    const { page, errors } = await open();
    await signIn(page, 'demo.regulator');
    await page.getByRole('heading', { name: '统计' }).waitFor();
    const kpi = (label: string) => page.locator('.kpi', { hasText: label }).locator('.value').innerText();
    await page.locator('.kpis').waitFor();
    assert.equal(await kpi('完成'), '1');
    assert.equal(await kpi('人工核验通过'), '1');
    assert.match(await page.locator('table.data tbody').innerText(), /demo/, 'one row per operator');
    await shot(page, '05-statistics');
    await page.getByRole('combobox', { name: '分组' }).selectOption('store');
    await page.locator('table.data tbody tr', { hasText: 'BJ-001' }).waitFor();
    await page.getByRole('combobox', { name: '分组' }).selectOption('agent');
    await page.locator('table.data tbody tr', { hasText: 'demo.agent' }).waitFor();
    await shot(page, '06-statistics-by-agent');

    await page.getByRole('link', { name: '异常' }).click();
    await page.locator('section.flag').first().waitFor();
    await shot(page, '07-anomalies');

    await page.getByRole('link', { name: '审计日志' }).click();
    await page.locator('table.data tbody tr').first().waitFor();
    assert.ok(await page.locator('table.data tbody tr', { hasText: 'registration.completed' }).count() > 0, 'the completion is in the log');
    await page.getByRole('button', { name: '校验哈希链' }).click();
    await page.getByText('哈希链完整。').waitFor();
    await shot(page, '08-audit-verified');
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: '导出检查用 CSV' }).click();
    const file = path.join(dir, 'audit.csv');
    await (await download).saveAs(file);
    const csv = readFileSync(file, 'utf8');
    assert.match(csv.split('\n')[0]!, /prev_hash/);
    assert.ok(csv.includes(registrationId), 'the export holds the registration\'s events');
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('the operator admin imports numbers from CSV with a row report and changes a policy setting', async () => {
    const { page, errors } = await open();
    await signIn(page, 'demo.admin');
    await page.getByRole('link', { name: '号码' }).click();
    await page.locator('.kpi', { hasText: '合计' }).waitFor();
    const csvFile = path.join(dir, 'numbers.csv');
    writeFileSync(csvFile, 'msisdn,store_code\n17100000001,BJ-001\n17100000002\nnot-a-number,BJ-001\n17100000003,NOPE\n17100000001,BJ-001\n');
    await page.locator('input[type=file]').setInputFiles(csvFile);
    await page.getByRole('button', { name: '导入', exact: true }).click();
    await page.getByText('已导入 2 个；重复 1，格式不对 1，营业厅编码不存在 1。').waitFor();
    const report = await page.locator('.import ~ div table.data tbody').innerText();
    assert.match(report, /4\s+not-a-number/);
    assert.match(report, /5\s+17100000003/);
    await shot(page, '09-numbers-import');

    await page.getByRole('link', { name: '策略设置' }).click();
    const cap = page.getByLabel('每人在本运营商的号码上限');
    await cap.waitFor();
    await cap.fill('4');
    await page.getByRole('button', { name: '保存修改' }).click();
    await page.getByText('已保存 1 项修改。').waitFor();
    await shot(page, '10-policy');
    const policy = await api<{ settings: { maxActiveNumbersPerPerson: number } }>('GET', `/v1/tenants/${seed.tenantId}/policy`, await token('demo.admin'));
    assert.equal(policy.json.settings.maxActiveNumbersPerPerson, 4);

    await page.getByRole('link', { name: '复核活动' }).click();
    await page.getByLabel('名称').fill('年度复核');
    await page.getByLabel('号码（每行一个）').fill(`${msisdn}\n17199999999`);
    await page.getByRole('button', { name: '创建' }).click();
    await page.getByText(/已创建：1 个号码待复核（跳过 1 个）/).waitFor();
    assert.match(await page.locator('.chart .row').first().innerText(), /年度复核[\s\S]*1$/);
    assert.match(await page.locator('form table.data').innerText(), /17199999999/, 'the number not flagged is listed with its reason');
    await shot(page, '11-campaigns');
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('(e) an agent cannot use the console: the login is refused, the regulator\'s page and its data too', async () => {
    const { page } = await open();
    await page.getByLabel('用户名').fill('demo.agent');
    await page.getByLabel('密码', { exact: true }).fill(passwords.get('demo.agent')!);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByText('营业员账号不能使用管理控制台。').waitFor();
    await shot(page, '12-agent-refused');
    // an agent's session put in place by hand (as if copied from the kiosk): the page refuses the
    // regulator's view, and the server refuses its data whatever the page does
    const agent = await token('demo.agent');
    const me = await api<unknown>('GET', '/v1/auth/me', agent);
    const planted = JSON.stringify({ token: agent, staff: me.json });
    await page.evaluate(`sessionStorage.setItem('portrait.console.session', ${JSON.stringify(planted)})`);
    await page.goto(`${origin}/console/#/audit`);
    await page.reload(); // the page reads its session at load
    await page.getByText('您的账号角色不能打开此页面。').waitFor();
    await shot(page, '13-agent-audit-refused');
    assert.equal((await api('GET', '/v1/audit/events', agent)).status, 403);
    assert.equal((await api('POST', '/v1/audit/verify', agent)).status, 403);
    assert.equal((await api('GET', '/v1/statistics/registrations', agent)).status, 403);
    // a store manager sees only their own store; another store's figures are refused
    const manager = await token('demo.manager');
    const other = await api<{ id: string }>('POST', `/v1/tenants/${seed.tenantId}/stores`, await token('demo.admin'), { code: 'SH-002', name: '上海营业厅', regionCode: '310101' });
    assert.equal(other.status, 201, JSON.stringify(other.json));
    assert.equal((await api('GET', `/v1/statistics/registrations?storeId=${other.json.id}`, manager)).status, 403);
    await page.close();
  });
});
