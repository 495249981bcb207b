// Opens a `shapelens graph` HTML page in Debian's chromium (playwright-core, no downloaded
// browser) and prints what the page shows as JSON: node/edge counts folded and unfolded, the
// first group box's unfolding, and a screenshot. Usage: node test/browser.mjs PAGE.html OUT_DIR
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const [page_, outDir] = process.argv.slice(2);
mkdirSync(outDir, { recursive: true });
const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const result = { requests: [], errors: [] };
try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.on('request', (r) => { if (!r.url().startsWith('file:')) result.requests.push(r.url()); });
    page.on('pageerror', (e) => result.errors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error') result.errors.push(m.text()); });
    await page.goto(pathToFileURL(resolve(page_)).href);
    await page.waitForSelector('svg.sl-graph');
    const counts = () => page.evaluate(() => ({
        nodes: document.querySelectorAll('svg.sl-graph g.node[data-id]').length,
        boxes: document.querySelectorAll('svg.sl-graph g.node.box').length,
        edges: document.querySelectorAll('svg.sl-graph g.edge').length,
        groups: document.querySelectorAll('svg.sl-graph g.group').length,
        edgeLabels: document.querySelectorAll('svg.sl-graph g.edge > text').length,
        boxLabels: [...document.querySelectorAll('svg.sl-graph g.node.box text:first-of-type')]
            .map((t) => t.textContent),
        info: document.querySelector('.sl-info').textContent,
    }));
    result.folded = await counts();
    await page.screenshot({ path: join(outDir, 'graph-folded.png') });
    if (result.folded.boxes > 0) {
        await page.click('svg.sl-graph g.node.box');
        result.afterBoxClick = await counts();
    }
    await page.click('.sl-unfold');
    result.unfolded = await counts();
    await page.screenshot({ path: join(outDir, 'graph-unfolded.png') });
    await page.click('.sl-fold');
    result.allFolded = await counts();
} finally {
    await browser.close();
}
process.stdout.write(JSON.stringify(result) + '\n');
