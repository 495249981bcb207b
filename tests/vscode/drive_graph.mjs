// Drives the model-graph webview in VS Code (code-server) in Debian's chromium: runs "ShapeLens:
// Show Model Graph" on a file, reads the drawing inside the webview's frames, clicks a layer (the
// cursor must go to its line), edits the file (the drawing must follow), and saves screenshots.
//
// Usage: node drive_graph.mjs CONFIG.json (see test_vscode_graph.py); prints one JSON object.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const cfg = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const TIMEOUT = cfg.timeoutMs;
const report = { steps: [] };

function step(name) {
    report.steps.push({ name, at: new Date().toISOString() });
    process.stderr.write(`[drive-graph] ${name}\n`);
}

async function until(what, fn, timeout = TIMEOUT) {
    const end = Date.now() + timeout;
    let last;
    for (;;) {
        try {
            last = await fn();
        } catch (e) {
            last = String(e); // a frame navigating away: try again
        }
        if (last && typeof last !== 'string') {
            return last;
        }
        if (Date.now() > end) {
            throw new Error(`timed out after ${timeout} ms waiting for ${what}; last: ${JSON.stringify(last)}`);
        }
        await new Promise((r) => setTimeout(r, 250));
    }
}

async function quickInput(page, key, text, rowMatch) {
    await page.keyboard.press(key);
    await page.locator('.quick-input-widget input').waitFor({ state: 'visible', timeout: TIMEOUT });
    await page.keyboard.type(text);
    await until(`${text} to be listed`, () =>
        page.evaluate((t) => [...document.querySelectorAll('.quick-input-list .monaco-list-row')]
            .some((r) => (r.getAttribute('aria-label') || r.innerText).includes(t)) || null, rowMatch));
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: TIMEOUT });
}

/** The webview frame that holds the drawing, and what it shows. */
async function drawing(page) {
    for (const frame of page.frames()) {
        const got = await frame.evaluate(() => {
            const svg = document.querySelector('svg.sl-graph');
            if (!svg) {
                return null;
            }
            return {
                layers: document.querySelectorAll('svg.sl-graph g.node[data-id]').length,
                boxes: document.querySelectorAll('svg.sl-graph g.node.box').length,
                edges: document.querySelectorAll('svg.sl-graph g.edge').length,
                version: document.body.dataset.version || '',
                texts: [...document.querySelectorAll('svg.sl-graph g.node[data-id]')]
                    .map((g) => [g.dataset.id, g.textContent]),
                background: getComputedStyle(document.body).backgroundColor,
            };
        }).catch(() => null);
        if (got) {
            return { frame, ...got };
        }
    }
    return null;
}

function cursorLine(page) {
    return page.evaluate(() => {
        const item = [...document.querySelectorAll('.statusbar-item')]
            .find((e) => /Ln \d+, Col \d+/.test(e.textContent));
        const m = item && /Ln (\d+)/.exec(item.textContent);
        return m ? Number(m[1]) : null;
    });
}

let pageRef;

async function main() {
    const browser = await chromium.launch({
        executablePath: cfg.chromium,
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
            '--disable-background-networking', '--disable-component-update', '--disable-sync',
            '--disable-dev-shm-usage'],
    });
    try {
        const page = await (await browser.newContext({ viewport: { width: 1920, height: 1200 } })).newPage();
        pageRef = page;
        report.console = [];
        page.on('console', (m) => { if (m.type() === 'error') report.console.push(m.text().slice(0, 300)); });
        page.setDefaultTimeout(TIMEOUT);
        step('load VS Code');
        await page.goto(cfg.url, { waitUntil: 'domcontentloaded', timeout: TIMEOUT });
        await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: TIMEOUT });
        await until('the explorer to show the workspace', () =>
            page.evaluate((n) => [...document.querySelectorAll('.explorer-folders-view .monaco-list-row')]
                .some((r) => r.textContent.includes(n)) || null, cfg.file));
        await page.keyboard.press('Control+B');
        step('open the file');
        await quickInput(page, 'Control+P', cfg.file, cfg.file);
        await until('the server to analyse it (a code lens)', () =>
            page.evaluate(() => [...document.querySelectorAll('.codelens-decoration a')]
                .some((a) => a.textContent.includes('show graph')) || null));
        step('show the model graph');
        await quickInput(page, 'F1', 'ShapeLens: Show Model Graph', 'Show Model Graph');
        const first = await until('the graph drawn in the webview', async () => {
            const d = await drawing(page);
            return d && d.layers + d.boxes > 0 ? d : null;
        });
        report.first = { layers: first.layers, boxes: first.boxes, edges: first.edges, background: first.background };
        await page.screenshot({ path: join(cfg.artifacts, 'graph-1-webview.png') });

        step('click a layer');
        const target = first.frame.locator(`svg.sl-graph g.node[data-id="${cfg.clickId}"]`);
        await target.click();
        report.cursorAfterClick = await until('the cursor on the layer\'s line', async () => {
            const line = await cursorLine(page);
            return line === cfg.clickLine ? line : null;
        }, 60000).catch(async () => cursorLine(page));
        await page.screenshot({ path: join(cfg.artifacts, 'graph-2-clicked.png') });

        step('edit the file');
        await page.keyboard.press('Control+G');
        await page.locator('.quick-input-widget input').waitFor({ state: 'visible', timeout: TIMEOUT });
        await page.keyboard.type(`${cfg.edit.line}:${cfg.edit.column}`);
        await page.keyboard.press('Enter');
        await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: TIMEOUT });
        for (let i = 0; i < cfg.edit.delete; i++) {
            await page.keyboard.press('Delete');
        }
        await page.keyboard.type(cfg.edit.insert);
        const after = await until('the drawing to follow the edit', async () => {
            const d = await drawing(page);
            const text = d && d.texts.find(([id]) => id === cfg.edit.watchId);
            return text && text[1].includes(cfg.edit.expect) ? d : null;
        });
        report.afterEdit = { layers: after.layers, edges: after.edges,
            watched: after.texts.find(([id]) => id === cfg.edit.watchId)[1] };
        await page.screenshot({ path: join(cfg.artifacts, 'graph-3-after-edit.png') });
    } catch (e) {
        report.error = String(e && e.stack || e);
        if (pageRef) {
            await pageRef.screenshot({ path: join(cfg.artifacts, 'graph-failed.png') }).catch(() => {});
            report.frames = [];
            for (const f of pageRef.frames()) {
                report.frames.push({ url: f.url().slice(0, 200), body: await f.evaluate(
                    () => document.body ? document.body.innerHTML.slice(0, 300) : '').catch((x) => String(x)) });
            }
        }
    } finally {
        await browser.close();
    }
}

await main();
process.stdout.write(JSON.stringify(report) + '\n');
