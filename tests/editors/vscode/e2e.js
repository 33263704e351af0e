// Drives the freebusy-lsp extension inside a real VS Code (code-server) through headless Chromium,
// as a user would: keyboard, palette, Problems panel, hover, light bulb. run.sh prepares
// everything and passes it in the environment:
//   E2E_URL        http://127.0.0.1:PORT of the running code-server
//   E2E_WORKSPACE  the folder opened (hybrid.log, palette.log, rooms.ps1 in it)
//   E2E_SETTINGS   the workspace's .vscode/settings.json (changed on disk: VS Code applies it live)
//   E2E_SHOTS      where the screenshots go
//   E2E_EXPECT     JSON: what `freebusy-lsp check --format json` reports for each workspace file
//   E2E_PROFILE    a fresh Chromium profile folder
//   E2E_EXTENSIONS code-server's extensions folder: the server must run from the .vsix installed there
// The CLI's JSON is the oracle: the page must show what the same binary reports on the command line.
'use strict';
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};
const URL_BASE = env('E2E_URL');
const WORKSPACE = env('E2E_WORKSPACE');
const SETTINGS = env('E2E_SETTINGS');
const SHOTS = env('E2E_SHOTS');
const EXPECT = JSON.parse(env('E2E_EXPECT'));
const PROFILE = env('E2E_PROFILE');
const EXTENSIONS = fs.realpathSync(env('E2E_EXTENSIONS'));
const WAIT = 30000;

const shots = [];
const passed = [];
const log = (msg) => console.log(`e2e: ${msg}`);

/** One entry per finding the CLI reports for a file. */
function codesOf(file) {
  return EXPECT[file].map((f) => f.code);
}

async function shot(page, name) {
  const file = path.join(SHOTS, `${String(shots.length + 1).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file });
  shots.push(file);
}

async function step(page, name, body) {
  log(`step: ${name}`);
  try {
    await body();
  } catch (err) {
    await shot(page, `FAILED-${name}`).catch(() => {});
    throw new Error(`${name}: ${err.message}`);
  }
  await shot(page, name);
  passed.push(name);
}

/** Polls `probe` until it returns a truthy value; the last value goes into the error. */
async function until(what, probe, timeout = WAIT) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    last = await probe();
    if (last && !(last instanceof Describe)) return last;
    if (Date.now() > end) throw new Error(`timed out after ${timeout / 1000} s waiting for ${what}${last instanceof Describe ? `: ${last.text}` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
/** A falsy probe result that says what was seen instead. */
class Describe {
  constructor(text) {
    this.text = text;
  }
}

async function quickInput(page) {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: WAIT });
  return input;
}

/** Runs a palette command by its title: F1, type, Enter on the row with that exact label. */
async function palette(page, title) {
  await page.keyboard.press('F1');
  const input = await quickInput(page);
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ state: 'visible', timeout: WAIT });
  await row.click();
}

/** Opens a workspace file with Ctrl+P and waits for its tab to be active. */
async function openFile(page, name) {
  await page.keyboard.press('Control+P');
  const input = await quickInput(page);
  await input.fill(name);
  // Enter only once the filtered list has the file on its focused (first) row.
  const row = page.locator('.quick-input-list .monaco-list-row.focused', { hasText: name }).first();
  await row.waitFor({ state: 'visible', timeout: WAIT });
  await page.keyboard.press('Enter');
  await page.locator(`.tab.active[data-resource-name="${name}"]`).waitFor({ timeout: WAIT });
  await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().waitFor({ timeout: WAIT });
}

/** The code of each row in the Problems panel (after the source name; messages may name other codes). */
async function problemCodes(page) {
  const panel = page.locator('.markers-panel');
  if (!(await panel.isVisible().catch(() => false))) {
    await page.keyboard.press('Control+Shift+M');
    await panel.waitFor({ state: 'visible', timeout: WAIT });
  }
  const text = await panel.innerText();
  return [...text.matchAll(/freebusy-lsp\s*\(?\s*(FB\d{3})/g)].map((m) => m[1]).sort();
}

async function waitForProblems(page, want, what) {
  const wanted = [...want].sort().join(' ');
  await until(what, async () => {
    const got = (await problemCodes(page)).join(' ');
    if (got === wanted) return got;
    const raw = got ? '' : ` (panel text: ${JSON.stringify((await page.locator('.markers-panel').innerText()).slice(0, 300))})`;
    return new Describe(`Problems panel shows [${got}], expected [${wanted}]${raw}`);
  });
}

/** Puts the cursor at a 1-based line and column with Go to Line (Ctrl+G). */
async function goTo(page, line, column) {
  await page.keyboard.press('Control+G');
  const input = await quickInput(page);
  await input.fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: WAIT });
}

async function actionWidgetItems(page) {
  const widget = page.locator('.action-widget');
  await widget.waitFor({ state: 'visible', timeout: WAIT });
  const rows = widget.locator('.monaco-list-row.action');
  await rows.first().waitFor({ state: 'visible', timeout: WAIT });
  return (await rows.allInnerTexts()).map((t) => t.trim());
}

/** Moves the action widget's focus to the first row containing `text` and applies it (Enter). */
async function chooseAction(page, text) {
  const focused = page.locator('.action-widget .monaco-list-row.action.focused');
  for (let i = 0; i < 30; i++) {
    const label = (await focused.getAttribute('aria-label', { timeout: WAIT })) || '';
    if (label.includes(text)) {
      log(`applying "${label}"`);
      await page.keyboard.press('Enter');
      await page.locator('.action-widget').waitFor({ state: 'hidden', timeout: WAIT });
      return;
    }
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`no action "${text}" in the list`);
}

async function editorText(page) {
  return page.locator('.editor-group-container.active .monaco-editor .view-lines').first().innerText();
}

/** Running freebusy-lsp processes whose executable lies in the extensions folder. */
function bundledServers() {
  const found = [];
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let exe;
    try {
      exe = fs.readlinkSync(`/proc/${pid}/exe`);
    } catch {
      continue;
    }
    if (path.basename(exe) === 'freebusy-lsp' && exe.startsWith(`${EXTENSIONS}/`)) found.push(exe);
  }
  return found;
}

function fileText(name) {
  try {
    return fs.readFileSync(path.join(WORKSPACE, name), 'utf8');
  } catch {
    return undefined;
  }
}

// The workspace run.sh prepares, and the findings the CLI reports in it.
const log1 = 'hybrid.log';
const first = EXPECT[log1][0];
const script1 = 'hybrid.remediation.ps1';
const ps = 'rooms.ps1';
const psFinding = EXPECT[ps].find((f) => f.suggestions && f.suggestions.length);
const log2 = 'palette.log';
const script2 = 'palette.remediation.ps1';

async function workbenchLoaded(page) {
  await page.goto(`${URL_BASE}/?folder=${encodeURIComponent(WORKSPACE)}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: log1 }).waitFor({ timeout: 60000 });
}

async function problemsLog(page) {
  await openFile(page, log1);
  await waitForProblems(page, codesOf(log1), `the codes of ${log1} in the Problems panel`);
  const count = (sev) => EXPECT[log1].filter((f) => f.severity === sev).length;
  const want = [count('error'), count('warning'), count('info') + count('information')];
  const bar = await page.locator('[id="status.problems"]').innerText();
  const got = (bar.match(/\d+/g) || []).map(Number);
  if (got[0] !== want[0] || got[1] !== want[1] || (got.length > 2 && got[2] !== want[2])) {
    throw new Error(`status bar counts ${JSON.stringify(bar)}, expected errors/warnings/information ${want.join('/')}`);
  }
  const servers = bundledServers();
  if (servers.length === 0) throw new Error(`no freebusy-lsp process runs from ${EXTENSIONS}`);
  log(`server running from the .vsix: ${servers.join(', ')}`);
}

async function hoverCard(page) {
  await page.locator('.editor-group-container.active .monaco-editor textarea').first().focus();
  await goTo(page, first.line, first.column + 2);
  await page.keyboard.press('Control+K');
  await page.keyboard.press('Control+I');
  const hover = page.locator('.monaco-hover-content', { hasText: first.code }).first();
  await hover.waitFor({ state: 'visible', timeout: WAIT });
  const text = await hover.innerText();
  if (!text.includes(first.title)) throw new Error(`the hover card lacks the title "${first.title}": ${text.slice(0, 300)}`);
  log(`hover shows ${first.code}: ${first.title}`);
}

async function quickFixesLog(page) {
  await page.keyboard.press('Escape'); // the hover, left open for its screenshot
  await page.locator('.monaco-hover-content').first().waitFor({ state: 'hidden', timeout: WAIT });
  await page.keyboard.press('Control+.');
  const logFixes = await actionWidgetItems(page);
  log(`Ctrl+. on ${first.code}: ${logFixes.join(' | ')}`);
  if (!logFixes.some((t) => t.includes(first.code))) throw new Error(`no action names ${first.code}: ${logFixes.join(' | ')}`);
}

async function quickFixCreatesScript(page) {
  const cmdlet = first.fix.run.split(/\s/)[0];
  await chooseAction(page, 'remediation script');
  const text = await until(`${script1} on disk`, async () => fileText(script1));
  if (!text.includes(cmdlet)) throw new Error(`${script1} lacks ${cmdlet}:\n${text}`);
  const domain = first.captures && Object.values(first.captures).find((v) => /contoso/.test(v));
  if (domain && !text.includes(domain.split('@').pop())) throw new Error(`${script1} lacks the captured ${domain}:\n${text}`);
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: script1 }).waitFor({ timeout: WAIT });
  log(`${script1}: ${text.split('\n').length} lines, runs ${cmdlet}`);
}

async function powershellQuickFix(page) {
  await openFile(page, ps);
  await waitForProblems(page, [...codesOf(log1), ...codesOf(ps)], `the codes of ${ps} added to the Problems panel`);
  const before = fileText(ps);
  await page.locator('.editor-group-container.active .monaco-editor textarea').first().focus();
  await goTo(page, psFinding.line, psFinding.column + 1);
  await page.keyboard.press('Control+.');
  const items = await actionWidgetItems(page);
  log(`Ctrl+. on ${psFinding.code}: ${items.join(' | ')}`);
  const title = psFinding.suggestions[0].title;
  if (!items.some((t) => t.includes(title))) throw new Error(`"${title}" not offered: ${items.join(' | ')}`);
  await chooseAction(page, title);
  const inserted = psFinding.suggestions[0].edits[0].text;
  await until(`"${inserted}" in the editor`, async () => (await editorText(page)).includes(inserted));
  await page.keyboard.press('Control+S');
  const after = await until(`${ps} saved`, async () => (fileText(ps) !== before ? fileText(ps) : undefined));
  const want = Buffer.from(before);
  const e = psFinding.suggestions[0].edits[0];
  const expected = Buffer.concat([want.subarray(0, e.byte_start), Buffer.from(e.text), want.subarray(e.byte_end)]).toString();
  if (after !== expected) throw new Error(`${ps} after the fix:\n${after}\nexpected:\n${expected}`);
  log(`${ps}: "${title}" applied`);
}

async function paletteExplain(page) {
  await palette(page, 'freebusy-lsp: Explain error code...');
  const input = await quickInput(page);
  await input.fill(first.code);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: first.code }).first().waitFor({ timeout: WAIT });
  await page.keyboard.press('Enter');
  await page.locator('.tab.active', { hasText: `${first.code}.md` }).waitFor({ timeout: WAIT });
  // The Markdown preview is a webview: its text lives in a nested frame, never the main one
  // (whose Problems panel shows the same title). The card's heading is `CODE · title`.
  const heading = `${first.code} · ${first.title}`;
  await until(`the card of ${first.code} in the preview`, async () => {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) continue;
      const body = await frame.locator('body').innerText({ timeout: 1000 }).catch(() => '');
      if (body.includes(heading)) return true;
    }
    return new Describe(`no preview frame shows "${heading}" yet`);
  });
}

async function paletteCreateRemediationScript(page) {
  await openFile(page, log2);
  await palette(page, 'freebusy-lsp: Create remediation script for this file');
  const text = await until(`${script2} on disk`, async () => fileText(script2));
  for (const f of EXPECT[log2]) {
    const cmdlet = f.fix && f.fix.run && f.fix.run.split(/\s/)[0];
    if (cmdlet && /^[A-Z][a-z]+-\w+$/.test(cmdlet) && !text.includes(cmdlet)) throw new Error(`${script2} lacks ${cmdlet} (${f.code}):\n${text}`);
  }
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: script2 }).waitFor({ timeout: WAIT });
  log(`${script2}: ${text.split('\n').length} lines`);
}

async function settingDisablesCode(page) {
  // Only hybrid.log open: the server clears a closed file's diagnostics, and the Problems panel
  // (a virtual list) then shows every row at once.
  await palette(page, 'View: Close All Editors');
  await openFile(page, log1);
  const before = codesOf(log1);
  await waitForProblems(page, before, `only the codes of ${log1} in the Problems panel`);
  const without = before.filter((c) => c !== first.code);
  const settings = fs.existsSync(SETTINGS) ? JSON.parse(fs.readFileSync(SETTINGS, 'utf8')) : {};
  fs.mkdirSync(path.dirname(SETTINGS), { recursive: true });
  fs.writeFileSync(SETTINGS, JSON.stringify({ ...settings, 'freebusyLsp.codes.disabled': [first.code] }, null, 2));
  await waitForProblems(page, without, `${first.code} gone from the Problems panel, the rest kept`);
  log(`freebusyLsp.codes.disabled = ["${first.code}"]: ${before.length - without.length} rows gone, ${without.length} kept`);
  fs.writeFileSync(SETTINGS, JSON.stringify(settings, null, 2));
  await waitForProblems(page, before, `${first.code} back in the Problems panel`);
}

/** The steps, in order: each leaves the page in the state the next one starts from. */
const STEPS = [
  ['workbench-loaded', workbenchLoaded],
  ['problems-log', problemsLog],
  ['hover-card', hoverCard],
  ['quick-fixes-log', quickFixesLog],
  ['quick-fix-creates-script', quickFixCreatesScript],
  ['powershell-quick-fix', powershellQuickFix],
  ['palette-explain', paletteExplain],
  ['palette-create-remediation-script', paletteCreateRemediationScript],
  ['setting-disables-code', settingDisablesCode],
];

async function run(page) {
  for (const [name, body] of STEPS) await step(page, name, () => body(page));
}

async function main() {
  fs.mkdirSync(SHOTS, { recursive: true });
  const context = await chromium.launchPersistentContext(PROFILE, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1440, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = context.pages()[0] || (await context.newPage());
  page.setDefaultTimeout(WAIT);
  let failure;
  try {
    await run(page);
  } catch (err) {
    failure = err;
  } finally {
    await context.close().catch(() => {});
  }
  console.log('\ne2e summary:');
  for (const name of passed) console.log(`  PASS  ${name}`);
  if (failure) console.log(`  FAIL  ${failure.message}`);
  console.log('screenshots:');
  for (const s of shots) console.log(`  ${s}`);
  if (failure) process.exit(1);
}

main().catch((err) => {
  console.error(`e2e: ${err.stack || err}`);
  process.exit(1);
});
