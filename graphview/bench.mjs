// Times laying out and drawing each model of a graph JSON (docs/graph-json.md) with the bundle
// `shapelens graph` uses: folded as the page opens it, then every group unfolded.
// Usage: node bench.mjs GRAPH.json [--runs N] [--unfolded]
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
require('../server/shapelens/graphview/graphview.js');
const G = globalThis.ShapeLensGraph;
const args = process.argv.slice(2);
const data = JSON.parse(readFileSync(args[0], 'utf8'));
const runs = args.includes('--runs') ? Number(args[args.indexOf('--runs') + 1]) : 3;

function time(fn) {
    const ms = [];
    let out = '';
    for (let i = 0; i < runs; i++) {
        const t0 = performance.now();
        out = fn();
        ms.push(performance.now() - t0);
    }
    ms.sort((a, b) => a - b);
    return { ms: ms[Math.floor(ms.length / 2)], out };
}

for (const m of data.models) {
    const folded = G.defaultFolded(m);
    const view = G.visible(m, folded);
    const f = time(() => G.renderModel(m, folded));
    let line = `${m.name}: ${m.nodes.length} layers, ${m.edges.length} edges, ` +
        `${m.groups.length} groups | folded: ${view.nodes.length} boxes+layers, ` +
        `${view.edges.length} edges, layout+draw ${f.ms.toFixed(0)} ms (median of ${runs})`;
    if (args.includes('--unfolded')) {
        const u = time(() => G.renderModel(m, new Set()));
        line += ` | unfolded: layout+draw ${u.ms.toFixed(0)} ms`;
    }
    console.log(line);
}
