// Drives VS Code (code-server) in Debian's chromium through playwright-core and reports what the
// editor shows as JSON; tests/vscode/test_vscode_e2e.py holds the expectations (from TensorFlow).
//
// Usage: node drive.mjs CONFIG.json   (CONFIG: see test_vscode_e2e.py's `drive`); prints one JSON
// object on stdout. Every wait polls the page until a condition holds or `timeoutMs` passes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const cfg = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const TIMEOUT = cfg.timeoutMs;
const report = { steps: [] };

function step(name) {
    report.steps.push({ name, at: new Date().toISOString() });
    process.stderr.write(`[drive] ${name}\n`);
}

/** Polls `fn` until it returns a truthy value; throws with `what` and the last value on timeout. */
async function until(what, fn, timeout = TIMEOUT) {
    const end = Date.now() + timeout;
    let last;
    for (;;) {
        last = await fn();
        if (last) {
            return last;
        }
        if (Date.now() > end) {
            throw new Error(`timed out after ${timeout} ms waiting for ${what}; last: ${JSON.stringify(last)}`);
        }
        await new Promise((r) => setTimeout(r, 250));
    }
}

// What the active text editor (or the given editor element: a notebook cell's) renders: for each
// visible line number, its text (inlay hints included, as the user sees them), and the lines under
// an error squiggle.
function readEditor(root) {
    const editor = root ?? [...document.querySelectorAll('.part.editor .monaco-editor')].find(
        (e) => e.offsetParent !== null && e.querySelector('.view-lines'),
    );
    if (!editor) {
        return null;
    }
    const numbers = [...editor.querySelectorAll('.margin-view-overlays .line-numbers')].map((e) => ({
        n: Number(e.textContent.trim()),
        top: e.getBoundingClientRect().top,
    }));
    const lineAt = (top) => numbers.find((x) => Math.abs(x.top - top) < 3)?.n;
    const lines = {};
    const hints = {};
    for (const e of editor.querySelectorAll('.view-lines .view-line')) {
        const n = lineAt(e.getBoundingClientRect().top);
        if (!n) {
            continue;
        }
        lines[n] = e.textContent.replace(/\u00a0/g, ' ');
        // Inlay hints are injected text: spans styled by VS Code's dynamic CSS rules (`dyn-rule-*`),
        // a padding span then the label; consecutive ones make one hint.
        const groups = [];
        let open = false;
        for (const span of e.querySelectorAll('span > span')) {
            const injected = [...span.classList].some((c) => c.startsWith('dyn-rule-'));
            if (injected) {
                if (!open) {
                    groups.push('');
                }
                groups[groups.length - 1] += span.textContent;
            }
            open = injected;
        }
        const labels = groups.map((g) => g.replace(/[\s\u00a0\u200a\u200b]+/g, ' ').trim()).filter(Boolean);
        if (labels.length) {
            hints[n] = labels;
        }
    }
    const errors = [];
    for (const e of editor.querySelectorAll('.squiggly-error')) {
        const r = e.getBoundingClientRect();
        const n = numbers.find((x) => x.top <= r.top + 2 && r.top < x.top + Math.max(r.height, 10))?.n;
        if (n && !errors.includes(n)) {
            errors.push(n);
        }
    }
    return { lines, hints, errors: errors.sort((a, b) => a - b) };
}

/** Whether ShapeLens' status-bar item shows its spinner (an analysis is running). */
function analysing() {
    return [...document.querySelectorAll('.statusbar-item')].some(
        (e) => e.innerText.includes('ShapeLens') && e.querySelector('.codicon-modifier-spin, .codicon-sync'),
    );
}

async function goTo(page, line, column) {
    await page.keyboard.press('Control+G');
    await page.locator('.quick-input-widget input').waitFor({ state: 'visible', timeout: TIMEOUT });
    await page.keyboard.type(column ? `${line}:${column}` : String(line));
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: TIMEOUT });
}

async function openFile(page, name) {
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').waitFor({ state: 'visible', timeout: TIMEOUT });
    await page.keyboard.type(name);
    await until(`quick open to list ${name}`, () =>
        page.evaluate((n) => [...document.querySelectorAll('.quick-input-list .monaco-list-row')]
            .some((r) => r.getAttribute('aria-label')?.startsWith(n)), name));
    await page.keyboard.press('Enter');
    await until(`${name} to be the active tab`, () =>
        page.evaluate((n) => document.querySelector('.tabs-container .tab.active')?.getAttribute('aria-label')?.startsWith(n), name));
    await until(`${name}'s text to be rendered`, () => page.evaluate(readEditor));
}

/** Scrolls through the file and collects every line's inlay hints. */
async function collectHints(page, source) {
    const sourceLines = source.split('\n');
    const hints = {};
    const seen = new Set();
    let line = 1;
    while (line <= sourceLines.length) {
        await goTo(page, line);
        const view = await until(`line ${line} to be rendered`, async () => {
            const v = await page.evaluate(readEditor);
            return v.lines[line] !== undefined ? v : null;
        });
        for (const n of Object.keys(view.lines)) {
            seen.add(Number(n));
        }
        Object.assign(hints, view.hints);
        const next = [...Array(sourceLines.length).keys()].map((i) => i + 1).find((n) => !seen.has(n));
        if (next === undefined) {
            break;
        }
        line = next;
    }
    return hints;
}

/** No Python on PATH: one message saying what to do, an error in the status bar, no server. */
async function noPython(page) {
    const messages = () => page.evaluate(() => [...document.querySelectorAll('.notification-toast .notification-list-item-message')]
        .map((e) => e.innerText).filter((t) => t.includes('ShapeLens')));
    step('open the U-Net without a Python');
    await openFile(page, cfg.unet.file);
    report.messages = await until('the no-Python message', async () => ((await messages()).length ? messages() : null));
    report.status = await until('the error item in the status bar', () =>
        page.evaluate(() => [...document.querySelectorAll('.statusbar-item')]
            .find((e) => e.innerText.includes('ShapeLens') && e.querySelector('.codicon-error'))?.innerText ?? null));
    await page.screenshot({ path: join(cfg.artifacts, '5-no-python.png') });
    await goTo(page, cfg.unet.hoverLine);
    report.hintsWithoutServer = (await page.evaluate(readEditor)).hints;
    // A restart asked for by hand says it again, once (and nothing restarts it by itself).
    step('clear the notifications, restart by hand');
    await runCommand(page, 'Notifications: Clear All Notifications');
    await until('the notifications to be cleared', async () => (await messages()).length === 0);
    await runCommand(page, 'ShapeLens: Restart Server');
    report.messagesAfterRestart = await until('the message to be shown again', async () => {
        const m = await messages();
        return m.length ? m : null;
    });
    // The user points shapelens.interpreter at a good Python in settings.json, in the editor.
    step('set shapelens.interpreter');
    await setUserSettings(page, cfg.fixedSettings);
    report.hintsAfterFix = await until('hints once the server runs', async () => {
        await goTo(page, cfg.unet.hoverLine);
        const v = await page.evaluate(readEditor);
        return v.hints[cfg.unet.hoverLine] ?? null;
    });
    await page.screenshot({ path: join(cfg.artifacts, '6-python-set.png') });
}

/** Replaces the user's settings.json in the editor, as by hand, and returns to the U-Net. */
async function setUserSettings(page, settings) {
    await runCommand(page, 'Preferences: Open User Settings (JSON)');
    await until('settings.json to be the active tab', () =>
        page.evaluate(() => document.querySelector('.tabs-container .tab.active')?.getAttribute('aria-label')?.startsWith('settings.json')));
    await until('settings.json to be emptied', async () => {
        const v = await page.evaluate(readEditor);
        if (v && Object.values(v.lines).every((t) => !t.trim())) {
            return true;
        }
        // The keys go nowhere until the editor has the focus: give it, then select and delete.
        await page.locator('.part.editor .monaco-editor .view-lines').first().click();
        await page.keyboard.press('Control+A');
        await page.keyboard.press('Delete');
        return false;
    });
    await page.keyboard.insertText(JSON.stringify(settings));
    await page.keyboard.press('Control+S');
    await until('settings.json to be saved', () =>
        page.evaluate(() => !document.querySelector('.tabs-container .tab.active.dirty')));
    const tab = page.locator('.tabs-container .tab', { hasText: new RegExp(`^${cfg.unet.file}`) }).first();
    if (await tab.count()) {
        await tab.click();
    } else {
        await openFile(page, cfg.unet.file);
    }
    await until(`${cfg.unet.file} to be the active tab again`, () =>
        page.evaluate((n) => document.querySelector('.tabs-container .tab.active')?.getAttribute('aria-label')?.startsWith(n), cfg.unet.file));
}

async function runCommand(page, title) {
    await page.keyboard.press('F1');
    await page.locator('.quick-input-widget input').waitFor({ state: 'visible', timeout: TIMEOUT });
    await page.keyboard.type(title);
    await until(`${title} to be listed`, () =>
        page.evaluate((t) => [...document.querySelectorAll('.quick-input-list .monaco-list-row')]
            .some((r) => r.innerText.includes(t)), title));
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: TIMEOUT });
}

// The notebook editor's cells: {index in the notebook: readEditor of its editor} for the code
// cells rendered (a list row's data-index is the cell's index, markdown cells counted).
function readCells() {
    const cells = {};
    for (const row of document.querySelectorAll('.notebookOverlay .monaco-list-row.code-cell-row')) {
        const editor = row.querySelector('.monaco-editor');
        if (editor && row.offsetParent !== null) {
            cells[Number(row.getAttribute('data-index'))] = window.shapelensReadEditor(editor);
        }
    }
    return Object.keys(cells).length ? cells : null;
}

/** The middle of `token` on `line` of code cell `cell` (null if not rendered). */
function tokenBox({ cell, line, token }) {
    const row = document.querySelector(`.notebookOverlay .monaco-list-row.code-cell-row[data-index="${cell}"]`);
    const editor = row?.querySelector('.monaco-editor');
    const num = editor && [...editor.querySelectorAll('.margin-view-overlays .line-numbers')]
        .find((e) => Number(e.textContent.trim()) === line);
    if (!num) {
        return null;
    }
    const top = num.getBoundingClientRect().top;
    const view = [...editor.querySelectorAll('.view-lines .view-line')]
        .find((e) => Math.abs(e.getBoundingClientRect().top - top) < 3);
    const walker = document.createTreeWalker(view, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const i = node.textContent.indexOf(token);
        if (i >= 0) {
            const range = document.createRange();
            range.setStart(node, i);
            range.setEnd(node, i + token.length);
            const r = range.getBoundingClientRect();
            return { x: r.left + r.width / 2, y: r.top + r.height / 2, left: r.left };
        }
    }
    return null;
}

/** A notebook in VS Code's own notebook editor (no kernel): hints in its cells, a hover in the
 *  helper's cell, the squiggle in the error cell and its quick fix, applied and saved. */
async function notebook(page) {
    const nb = cfg.notebook;
    await page.evaluate(`window.shapelensReadEditor = ${readEditor.toString()}`);
    step('open the notebook');
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').waitFor({ state: 'visible', timeout: TIMEOUT });
    await page.keyboard.type(nb.file);
    await until(`quick open to list ${nb.file}`, () =>
        page.evaluate((n) => [...document.querySelectorAll('.quick-input-list .monaco-list-row')]
            .some((r) => r.getAttribute('aria-label')?.startsWith(n)), nb.file));
    await page.keyboard.press('Enter');
    step('wait for the hints in the cells');
    const shown = () => page.evaluate(readCells);
    await until('a hint on every expected cell line', async () => {
        const cells = await shown();
        if (!cells) {
            return false;
        }
        report.notebookHints = Object.fromEntries(Object.entries(cells).map(([i, v]) => [i, v.hints]));
        report.notebookErrors = Object.fromEntries(Object.entries(cells).map(([i, v]) => [i, v.errors]));
        return nb.expectHintOn.every(([c, n]) => cells[c]?.hints[n]?.length)
            && (cells[nb.errorCell]?.errors.length ?? 0) > 0;
    });
    await page.screenshot({ path: join(cfg.artifacts, '7-notebook-hints.png') });

    step('hover in the helper cell');
    const box = await until('the hover token', () => page.evaluate(tokenBox, nb.hover));
    await page.mouse.move(box.x - 20, box.y);
    await page.mouse.move(box.x, box.y, { steps: 5 });
    report.notebookHover = await until('the hover with the derivation', () =>
        page.evaluate(() => [...document.querySelectorAll('.monaco-hover')]
            .filter((e) => e.offsetParent !== null)
            .map((e) => e.innerText)
            .find((t) => t.includes('→'))));
    await page.screenshot({ path: join(cfg.artifacts, '8-notebook-hover.png') });
    await page.mouse.move(5, 5);
    await page.keyboard.press('Escape');

    step('quick fix in the error cell');
    const at = await until('the error token', () => page.evaluate(tokenBox, nb.fixAt));
    // Into the cell's editor at the error, then the Quick Fix menu from the keyboard.
    await page.mouse.click(at.left + 2, at.y);
    await page.keyboard.press('Control+.');
    report.notebookQuickFixes = await until('the quick fix menu', () =>
        page.evaluate(() => {
            const rows = [...document.querySelectorAll('.action-widget .monaco-list-row')]
                .filter((e) => e.offsetParent !== null).map((e) => e.innerText.trim());
            return rows.length ? rows : null;
        }));
    await page.screenshot({ path: join(cfg.artifacts, '9-notebook-quickfix.png') });
    if (!report.notebookQuickFixes.some((t) => t.includes(nb.fixContains))) {
        return;
    }
    step('apply the fix and save the notebook');
    await until('the fix to be the selected action', async () => {
        const focused = await page.evaluate(() =>
            document.querySelector('.action-widget .monaco-list-row.focused')?.innerText ?? '');
        if (focused.includes(nb.fixContains)) {
            return true;
        }
        await page.keyboard.press('ArrowDown');
        return false;
    });
    await page.keyboard.press('Enter');
    await until('the error cell to lose its squiggle', async () => {
        const cells = await shown();
        return cells && cells[nb.errorCell] && cells[nb.errorCell].errors.length === 0
            && !(await page.evaluate(analysing));
    });
    await page.keyboard.press('Escape'); // out of the cell editor: Ctrl+S saves the notebook
    await page.keyboard.press('Control+S');
    await until('the notebook to be saved', () =>
        page.evaluate(() => !document.querySelector('.tabs-container .tab.active.dirty')));
    const cells = await shown();
    report.notebookFixedHints = Object.fromEntries(Object.entries(cells).map(([i, v]) => [i, v.hints]));
    report.notebookFixedErrors = Object.fromEntries(Object.entries(cells).map(([i, v]) => [i, v.errors]));
    await page.screenshot({ path: join(cfg.artifacts, '10-notebook-fixed.png') });
}

let page;

async function main() {
    const browser = await chromium.launch({
        executablePath: cfg.chromium,
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
            '--disable-background-networking', '--disable-component-update', '--disable-sync',
            '--disable-dev-shm-usage'],
    });
    try {
        const context = await browser.newContext({ viewport: { width: 1920, height: 1200 } });
        page = await context.newPage();
        page.setDefaultTimeout(TIMEOUT);
        step('load VS Code');
        await page.goto(cfg.url, { waitUntil: 'domcontentloaded', timeout: TIMEOUT });
        await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: TIMEOUT });
        await until('the explorer to show the workspace', () =>
            page.evaluate((n) => [...document.querySelectorAll('.explorer-folders-view .monaco-list-row')]
                .some((r) => r.textContent.includes(n)), cfg.unet.file));
        await page.keyboard.press('Control+B'); // the side bar off: room for the long U-Net lines

        if (cfg.mode === 'no-python') {
            await noPython(page);
            return;
        }
        if (cfg.mode === 'notebook') {
            await notebook(page);
            return;
        }

        // 1. The U-Net: inlay hints on every call, once the server has answered.
        step('open the U-Net');
        await openFile(page, cfg.unet.file);
        const unetSource = readFileSync(join(cfg.workspace, cfg.unet.file), 'utf8');
        step('wait for the hints');
        await until('an inlay hint on every expected line', async () => {
            const got = await collectHints(page, unetSource);
            report.unetHints = got;
            return cfg.unet.expectHintOn.every((n) => got[n]?.length);
        });
        await goTo(page, cfg.unet.hoverLine);
        await page.keyboard.press('Home');
        await page.screenshot({ path: join(cfg.artifacts, '1-unet-hints.png') });

        // 2. Hover over a layer name: the derivation.
        step('hover');
        const box = await page.evaluate(({ line, token }) => {
            const editor = [...document.querySelectorAll('.part.editor .monaco-editor')].find((e) => e.offsetParent !== null);
            const num = [...editor.querySelectorAll('.margin-view-overlays .line-numbers')]
                .find((e) => Number(e.textContent.trim()) === line);
            const top = num.getBoundingClientRect().top;
            const view = [...editor.querySelectorAll('.view-lines .view-line')]
                .find((e) => Math.abs(e.getBoundingClientRect().top - top) < 3);
            const walker = document.createTreeWalker(view, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const i = node.textContent.indexOf(token);
                if (i >= 0) {
                    const range = document.createRange();
                    range.setStart(node, i);
                    range.setEnd(node, i + token.length);
                    const r = range.getBoundingClientRect();
                    return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
                }
            }
            return null;
        }, { line: cfg.unet.hoverLine, token: cfg.unet.hoverToken });
        if (!box) {
            throw new Error(`${cfg.unet.hoverToken} not found on line ${cfg.unet.hoverLine}`);
        }
        await page.mouse.move(box.x - 20, box.y);
        await page.mouse.move(box.x, box.y, { steps: 5 });
        report.hover = await until('the hover with the derivation', () =>
            page.evaluate(() => [...document.querySelectorAll('.monaco-hover')]
                .filter((e) => e.offsetParent !== null)
                .map((e) => e.innerText)
                .find((t) => t.includes('→'))));
        await page.screenshot({ path: join(cfg.artifacts, '2-unet-hover.png') });
        await page.mouse.move(5, 5);
        await page.keyboard.press('Escape');

        // 3. The broken U-Net: the error squiggle and the Cropping2D quick fix.
        step('open the broken U-Net');
        await openFile(page, cfg.broken.file);
        await goTo(page, cfg.broken.errorLine);
        report.brokenErrors = (await until('an error squiggle', async () => {
            const v = await page.evaluate(readEditor);
            return v.errors.length ? v : null;
        })).errors;
        step('quick fix');
        await goTo(page, cfg.broken.errorLine, cfg.broken.errorColumn);
        await page.keyboard.press('Control+.');
        report.quickFixes = await until('the quick fix menu', () =>
            page.evaluate(() => {
                const rows = [...document.querySelectorAll('.action-widget .monaco-list-row')]
                    .filter((e) => e.offsetParent !== null).map((e) => e.innerText.trim());
                return rows.length ? rows : null;
            }));
        await page.screenshot({ path: join(cfg.artifacts, '3-broken-quickfix.png') });
        const fix = report.quickFixes.find((t) => t.includes(cfg.broken.fixContains));
        if (fix) {
            step('apply the fix and save');
            // Keyboard, as users do (a pointer-blocking overlay covers the menu for mouse clicks).
            await until('the fix to be the selected action', async () => {
                const focused = await page.evaluate(() =>
                    document.querySelector('.action-widget .monaco-list-row.focused')?.innerText ?? '');
                if (focused.includes(cfg.broken.fixContains)) {
                    return true;
                }
                await page.keyboard.press('ArrowDown');
                return false;
            });
            await page.keyboard.press('Enter');
            await until('the squiggle to leave the fixed line and the analysis to finish', async () => {
                const v = await page.evaluate(readEditor);
                return !v.errors.includes(cfg.broken.errorLine) && !(await page.evaluate(analysing));
            });
            await page.keyboard.press('Control+S');
            await until('the file to be saved', () =>
                page.evaluate(() => !document.querySelector('.tabs-container .tab.active.dirty')));
            // Where the errors are now, over the whole file (the fix moves the first error on).
            const total = readFileSync(join(cfg.workspace, cfg.broken.file), 'utf8').split('\n').length;
            const errors = new Set();
            for (let line = 1; line <= total; line += 20) {
                await goTo(page, line);
                const v = await until(`line ${line} to be rendered`, async () => {
                    const r = await page.evaluate(readEditor);
                    return r.lines[line] !== undefined ? r : null;
                });
                v.errors.forEach((n) => errors.add(n));
            }
            report.fixedErrors = [...errors].sort((a, b) => a - b);
            await page.screenshot({ path: join(cfg.artifacts, '4-broken-fixed.png') });
        }

        // 4. The settings reach the server while it runs: each change shows on the U-Net's hints.
        report.settingsHints = [];
        for (const { settings, expect } of cfg.settingsSteps ?? []) {
            step(`settings ${JSON.stringify(settings)}`);
            await setUserSettings(page, settings);
            const lines = Object.keys(expect).map(Number);
            let got;
            await until(`the hints to follow ${JSON.stringify(settings)}`, async () => {
                got = {};
                for (const n of lines) {
                    await goTo(page, n);
                    const v = await until(`line ${n} to be rendered`, async () => {
                        const r = await page.evaluate(readEditor);
                        return r.lines[n] !== undefined ? r : null;
                    });
                    got[n] = [...(v.hints[n] ?? [])].sort();
                }
                return JSON.stringify(got) === JSON.stringify(expect);
            }).catch(() => {}); // the test compares what was shown last
            report.settingsHints.push(got);
        }
    } catch (err) {
        // What the editor showed when a wait gave up: the first thing to look at.
        await page?.screenshot({ path: join(cfg.artifacts, `failed-${cfg.mode ?? 'shapes'}.png`) }).catch(() => {});
        throw err;
    } finally {
        await browser.close();
    }
}

main().then(
    () => process.stdout.write(JSON.stringify(report) + '\n'),
    async (err) => {
        report.error = String(err?.stack ?? err);
        process.stdout.write(JSON.stringify(report) + '\n');
        process.exitCode = 1;
    },
);
