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
// - the operator admin opens a store and edits it, creates an agent account there (the one-time
//   password shown once, copied, and the one that signs in), disables it after a confirmation,
//   enables it again and issues a new one-time password,
//   creates an API key (the secret shown once), uses and revokes it, and adds a document to the
//   blocklist (listed masked only) and removes it; each checked on the server too;
// - (e) an agent cannot use the console: the login is refused, and with an agent's session put in
//   place the regulator's audit page and the admin's pages are refused by the page and their data
//   by the server (403).
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

  async function open(o: { clipboard?: boolean } = {}): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({
      viewport: { width: 1280, height: 900 }, locale: 'zh-CN', acceptDownloads: true,
      ...(o.clipboard ? { permissions: ['clipboard-read', 'clipboard-write'] } : {}),
    });
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

  test('the operator admin opens a store, creates an agent there (one-time password shown once) and disables it, creates and revokes an API key, and adds and removes a blocklist entry', async () => {
    const admin = await token('demo.admin');
    const { page, errors } = await open({ clipboard: true });
    await signIn(page, 'demo.admin');
    /** No message key left untranslated on the page. */
    const noRawKeys = async () => assert.doesNotMatch(await page.locator('body').innerText(), /\b(console|problem|role|doctype)\.[a-z_]+/);

    // stores: open one by keyboard (Enter submits), then edit its name in its row
    await page.getByRole('link', { name: '营业厅' }).click();
    await page.locator('tr[data-store="BJ-001"]').waitFor();
    await page.getByLabel('营业厅编码').fill('GZ-001');
    await page.getByLabel('名称', { exact: true }).fill('广州天河营业厅');
    await page.getByLabel('行政区划代码（可选）').fill('440106');
    await page.getByLabel('行政区划代码（可选）').press('Enter');
    await page.getByText('已创建营业厅 GZ-001 广州天河营业厅。').waitFor();
    const gz = page.locator('tr[data-store="GZ-001"]');
    assert.match(await gz.innerText(), /GZ-001\s+广州天河营业厅\s+440106 广东省广州市天河区\s+0/);
    await shot(page, '14-store-created');
    await page.getByRole('button', { name: '编辑营业厅 GZ-001' }).click();
    await gz.getByRole('textbox', { name: '名称' }).fill('广州天河体育中心营业厅');
    await shot(page, '15-store-edit');
    await gz.getByRole('button', { name: '保存' }).click();
    await page.getByText('营业厅 GZ-001 已保存。').waitFor();
    await gz.getByText('广州天河体育中心营业厅').waitFor();
    await noRawKeys();
    await shot(page, '16-stores');
    const stores = await api<{ items: { id: string; code: string; name: string; regionCode: string; staffCount: number }[] }>('GET', `/v1/tenants/${seed.tenantId}/stores`, admin);
    const store = stores.json.items.find((s) => s.code === 'GZ-001')!;
    assert.deepEqual([store.name, store.regionCode, store.staffCount], ['广州天河体育中心营业厅', '440106', 0]);

    // staff: from the store's staff count to its (empty) staff list, create an agent there
    await gz.getByRole('link', { name: /GZ-001：0 个在岗账号/ }).click();
    await page.getByText('没有账号。').waitFor();
    assert.equal(await page.getByRole('combobox', { name: '营业厅', exact: true }).inputValue(), store.id, 'the list is filtered by the store');
    await page.getByLabel('用户名').fill('gz.agent1');
    await page.getByLabel('姓名').fill('陈晓');
    await page.getByLabel('角色').selectOption('agent');
    assert.equal(await page.getByLabel('所属营业厅').inputValue(), store.id, 'the new account goes to the store shown');
    await page.getByRole('button', { name: '创建账号' }).click();
    const secret = page.getByRole('textbox', { name: 'gz.agent1 的一次性密码' });
    await secret.waitFor();
    const oneTimePassword = await secret.inputValue();
    assert.ok(oneTimePassword.length >= 16, 'a one-time password is shown');
    await page.getByText('关闭此提示或离开本页后，它不会再显示').waitFor();
    await page.getByRole('button', { name: '复制' }).click();
    await page.getByText('已复制。').waitFor();
    assert.equal(await page.evaluate('navigator.clipboard.readText()'), oneTimePassword, 'the copy button copies the password');
    const row = page.locator('tr[data-username="gz.agent1"]');
    assert.match(await row.innerText(), /gz\.agent1\s+陈晓\s+营业员\s+GZ-001 广州天河体育中心营业厅\s+待首次登录改密\s+从未登录/);
    await noRawKeys();
    await shot(page, '17-staff-created');
    // the server holds the account, and the password shown is the one that signs in
    const login = await api<{ staff: { mustChangePassword: boolean; storeId: string } }>('POST', '/v1/auth/login', undefined, { username: 'gz.agent1', password: oneTimePassword });
    assert.equal(login.status, 200, JSON.stringify(login.json));
    assert.deepEqual([login.json.staff.mustChangePassword, login.json.staff.storeId], [true, store.id]);
    // shown once: gone when the panel is closed, and not there after a reload
    await page.getByRole('button', { name: '已交付，关闭' }).click();
    assert.ok(!(await page.content()).includes(oneTimePassword), 'the password is gone once handed over');
    await page.reload();
    await row.waitFor();
    assert.ok(!(await page.content()).includes(oneTimePassword), 'and not shown again');

    // disable: Escape cancels the confirmation, then confirmed by the danger button
    await row.getByRole('button', { name: '停用 gz.agent1' }).click();
    const dialog = page.getByRole('dialog', { name: '停用 gz.agent1？' });
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.match(await row.innerText(), /待首次登录改密/, 'cancelled: nothing changed');
    await row.getByRole('button', { name: '停用 gz.agent1' }).click();
    await dialog.waitFor();
    await shot(page, '18-staff-disable-confirm');
    await dialog.getByRole('button', { name: '停用' }).click();
    await page.getByText('gz.agent1 已停用。').waitFor();
    await row.getByText('已停用').waitFor();
    await row.getByRole('button', { name: '重新启用 gz.agent1' }).waitFor();
    await shot(page, '19-staff-disabled');
    const listed = await api<{ items: { username: string; disabled: boolean }[] }>('GET', `/v1/tenants/${seed.tenantId}/staff?storeId=${store.id}`, admin);
    assert.deepEqual(listed.json.items.map((s) => [s.username, s.disabled]), [['gz.agent1', true]]);
    assert.equal((await api('POST', '/v1/auth/login', undefined, { username: 'gz.agent1', password: oneTimePassword })).status, 401, 'a disabled account cannot sign in');
    // enabled again: the same password signs in; a new one-time password replaces it (after a confirmation)
    await row.getByRole('button', { name: '重新启用 gz.agent1' }).click();
    await page.getByText('gz.agent1 已重新启用，可以用原密码登录。').waitFor();
    assert.equal((await api('POST', '/v1/auth/login', undefined, { username: 'gz.agent1', password: oneTimePassword })).status, 200, 'enabled: signs in again');
    await row.getByRole('button', { name: '为 gz.agent1 重置密码' }).click();
    await page.getByRole('dialog', { name: '为 gz.agent1 生成新的一次性密码？' }).getByRole('button', { name: '重置密码' }).click();
    const renewed = await secret.inputValue();
    assert.ok(renewed.length >= 16 && renewed !== oneTimePassword, 'a new one-time password is shown');
    assert.equal((await api('POST', '/v1/auth/login', undefined, { username: 'gz.agent1', password: oneTimePassword })).status, 401, 'the old password no longer works');
    assert.equal((await api('POST', '/v1/auth/login', undefined, { username: 'gz.agent1', password: renewed })).status, 200, 'the new one does');
    await page.getByRole('button', { name: '已交付，关闭' }).click();
    // on a tablet the list still fits the screen (a wide table scrolls inside its box)
    await page.setViewportSize({ width: 820, height: 1180 });
    await page.getByRole('combobox', { name: '营业厅', exact: true }).selectOption('');
    await page.locator('tr[data-username="demo.agent"]').waitFor();
    assert.ok(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth'), 'no sideways scrolling of the page on a tablet');
    await shot(page, '20-staff-tablet');
    await page.setViewportSize({ width: 1280, height: 900 });

    // API keys: create (the secret shown once), use it, revoke it after a confirmation
    await page.getByRole('link', { name: 'API 密钥' }).click();
    await page.getByText('还没有 API 密钥。').waitFor();
    await page.getByLabel('名称').fill('某银行开户核验');
    await page.getByLabel('每分钟请求上限').fill('120');
    await page.getByRole('button', { name: '创建密钥' }).click();
    const keyField = page.getByRole('textbox', { name: '密钥“某银行开户核验”的内容' });
    await keyField.waitFor();
    const key = await keyField.inputValue();
    assert.match(key, /^pk_[A-Za-z0-9_-]{43}$/);
    const keyRow = page.locator('tr[data-key="某银行开户核验"]');
    assert.match(await keyRow.innerText(), /某银行开户核验\s+三要素核验\s+120\s+.+\s+从未使用\s+有效/);
    await noRawKeys();
    await shot(page, '21-api-key-created');
    const person = { name: '王芳', documentType: 'cn_resident_id', documentNumber: residentId('19850412', 311), msisdn };
    const check = async () => (await fetch(`${origin}/v1/partner/three-element-check`, {
      method: 'POST', headers: { 'x-api-key': key, 'content-type': 'application/json' }, body: JSON.stringify(person),
    }));
    const used = await check();
    assert.equal(used.status, 200);
    assert.deepEqual(await used.json(), { result: 'match' });
    await page.reload();
    await keyRow.waitFor();
    assert.ok(!(await page.content()).includes(key), 'the secret is not shown again');
    assert.doesNotMatch(await keyRow.innerText(), /从未使用/, 'the last use is listed');
    await keyRow.getByRole('button', { name: '吊销密钥 某银行开户核验' }).click();
    await page.getByRole('dialog', { name: '吊销密钥“某银行开户核验”？' }).getByRole('button', { name: '吊销' }).click();
    await page.getByText('密钥“某银行开户核验”已吊销。').waitFor();
    await keyRow.getByText(/已吊销（/).waitFor();
    await shot(page, '22-api-key-revoked');
    const keys = await api<{ items: { name: string; revokedAt: string | null; lastUsedAt: string | null }[] }>('GET', `/v1/tenants/${seed.tenantId}/api-keys`, admin);
    const held = keys.json.items.find((k) => k.name === '某银行开户核验')!;
    assert.ok(held.revokedAt && held.lastUsedAt, 'revoked, after one use');
    assert.ok(!JSON.stringify(keys.json).includes(key), 'the server never lists the secret');
    assert.equal((await check()).status, 401, 'a revoked key is refused');

    // blocklist: a resident ID checked while typed, listed masked only, then removed after a confirmation
    await page.getByRole('link', { name: '禁止名单' }).click();
    await page.getByText('名单为空。').waitFor();
    const blocked = residentId('19900307', 42);
    await page.getByRole('textbox', { name: '证件号码' }).pressSequentially(blocked.slice(0, 10));
    await page.getByText('已输入 10 位，共需 18 位。').waitFor();
    await page.getByRole('textbox', { name: '证件号码' }).pressSequentially(blocked.slice(10));
    await page.getByText('格式和校验位正确。').waitFor();
    await page.getByLabel('原因').selectOption('forged_document');
    await page.getByLabel('备注').fill('案件 2026-0117：伪造身份证');
    await page.getByRole('button', { name: '加入名单' }).click();
    const masked = `${blocked.slice(0, 6)}********${blocked.slice(-4)}`;
    await page.getByText(`已加入名单：居民身份证 ${masked}。`).waitFor();
    const entryRow = page.locator('table.data tbody tr').first();
    assert.match(await entryRow.innerText(), new RegExp(`居民身份证 ${masked.replace(/\*/g, '\\*')}\\s+伪造或变造证件\\s+案件 2026-0117：伪造身份证\\s+本运营商\\s+.+\\s+demo\\.admin`));
    assert.equal(await page.getByRole('textbox', { name: '证件号码' }).inputValue(), '', 'the typed number is cleared');
    assert.ok(!(await page.content()).includes(blocked), 'no full ID number on the page');
    assert.ok(!(await page.content()).includes(blocked.slice(6, 14)), 'not even the birth date');
    await noRawKeys();
    await shot(page, '23-blocklist');
    const entries = await api<{ items: { id: string; maskedNumber: string; reasonCode: string; reason: string }[] }>('GET', '/v1/blocklist', admin);
    assert.deepEqual(entries.json.items.map((e) => [e.maskedNumber, e.reasonCode, e.reason]), [[masked, 'forged_document', '案件 2026-0117：伪造身份证']]);
    assert.equal((await api('POST', '/v1/blocklist', admin, { documentType: 'cn_resident_id', documentNumber: blocked, reason: 'again' })).status, 409, 'the server holds it');
    await entryRow.getByRole('button', { name: `将 ${masked} 移出名单` }).click();
    const removeDialog = page.getByRole('dialog', { name: '将此证件移出禁止名单？' });
    await removeDialog.waitFor();
    await shot(page, '24-blocklist-remove-confirm');
    await removeDialog.getByRole('button', { name: '移出名单' }).click();
    await page.getByText(`${masked} 已移出名单。`).waitFor();
    await page.getByText('名单为空。').waitFor();
    assert.deepEqual((await api<{ items: unknown[] }>('GET', '/v1/blocklist', admin)).json.items, []);

    // the same pages in English
    await page.getByRole('link', { name: '员工账号' }).click();
    await page.locator('tr[data-username="gz.agent1"]').waitFor();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Staff accounts' }).waitFor();
    assert.match(await page.locator('tr[data-username="gz.agent1"]').innerText(), /Agent\s+GZ-001 .+\s+Awaiting first sign-in/);
    await noRawKeys();
    await shot(page, '25-staff-en');
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
    // nor the operator admin's pages: stores, staff accounts, API keys, blocklist
    for (const view of ['stores', 'staff', 'api-keys', 'blocklist']) {
      await page.goto(`${origin}/console/#/${view}`);
      await page.getByText('您的账号角色不能打开此页面。').waitFor();
      assert.equal(await page.locator('table.data, form').count(), 0, `${view}: nothing of the page is shown`);
    }
    await shot(page, '26-agent-admin-pages-refused');
    for (const [method, url, body] of [
      ['GET', `/v1/tenants/${seed.tenantId}/stores`], ['POST', `/v1/tenants/${seed.tenantId}/stores`, { code: 'AG-1', name: 'Agent store' }],
      ['GET', `/v1/tenants/${seed.tenantId}/staff`], ['POST', `/v1/tenants/${seed.tenantId}/staff`, { username: 'agent.made', displayName: 'X', role: 'agent', storeId: seed.storeId }],
      ['GET', `/v1/tenants/${seed.tenantId}/api-keys`], ['POST', `/v1/tenants/${seed.tenantId}/api-keys`, { name: 'Agent key', scopes: ['three_element_check'] }],
      ['GET', '/v1/blocklist'], ['POST', '/v1/blocklist', { documentType: 'cn_resident_id', documentNumber: residentId('19900307', 43), reason: 'x' }],
    ] as [string, string, unknown?][]) {
      assert.equal((await api(method, url, agent, body)).status, 403, `${method} ${url}`);
    }
    // a store manager sees only their own store; another store's figures are refused
    const manager = await token('demo.manager');
    const other = await api<{ id: string }>('POST', `/v1/tenants/${seed.tenantId}/stores`, await token('demo.admin'), { code: 'SH-002', name: '上海营业厅', regionCode: '310101' });
    assert.equal(other.status, 201, JSON.stringify(other.json));
    assert.equal((await api('GET', `/v1/statistics/registrations?storeId=${other.json.id}`, manager)).status, 403);
    await page.close();
  });
});
