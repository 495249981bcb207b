// The model graph (docs/graph-json.md) as an SVG string: which nodes show given the folded
// groups, laid out by dagre, drawn without a DOM so Node (the CLI's SVG) and a page share it.
import dagre from '@dagrejs/dagre';

const CHAR_W = 6.6; // px per character of the 11px monospace font: node and label widths
const LINE_H = 14;

/** Shape JSON (docs/cli-json.md) as Keras prints it: (None, 28, 28, 1). */
export function fmtShape(s) {
    if (s === null || s === undefined) return '?';
    if (s.length && s.every((v) => Array.isArray(v) || v === null)) {
        return '[' + s.map(fmtShape).join(', ') + ']';
    }
    const inner = s.map((d) => (d === null ? 'None' : String(d))).join(', ');
    return s.length === 1 ? `(${inner},)` : `(${inner})`;
}

function esc(s) {
    return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
        .replace(/"/g, '&quot;');
}

/** Group structure: each group's run head (folded runs act as one box) and each node's chain
 * of groups, outermost first. */
export function structure(model) {
    const groups = model.groups || [];
    const byId = new Map(groups.map((g) => [g.id, g]));
    const runHead = new Map(); // group id -> id of the first group of its run
    const siblings = new Map();
    for (const g of groups) {
        const key = g.parent || '';
        if (!siblings.has(key)) siblings.set(key, []);
        siblings.get(key).push(g);
    }
    for (const list of siblings.values()) {
        for (let i = 0; i < list.length; i++) {
            const n = Math.max(1, list[i].repeat || 0);
            if (list[i].repeat >= 1) {
                for (let j = i; j < Math.min(list.length, i + n); j++) runHead.set(list[j].id, list[i].id);
            } else if (!runHead.has(list[i].id)) {
                runHead.set(list[i].id, list[i].id);
            }
        }
    }
    const deepest = new Map(); // node id -> innermost group (later groups are deeper)
    for (const g of groups) for (const n of g.nodes) deepest.set(n, g.id);
    const chain = new Map();
    for (const n of model.nodes) {
        const c = [];
        for (let g = deepest.get(n.id); g; g = byId.get(g).parent) c.unshift(g);
        chain.set(n.id, c);
    }
    return { byId, runHead, chain };
}

/** A model with each nested model node (a layer that is a model of `models`) replaced by that
 * model's own layers as one group (`m:NAME`, folded by default like any group): the outer edges
 * into it go to its inputs' first layers, those out of it leave from its outputs. */
export function inlineNested(model, models, seen = new Set([model.name])) {
    const byName = new Map(models.map((m) => [m.name, m]));
    const nodes = [], edges = [], groups = [...(model.groups || [])];
    const entry = new Map(), exit = new Map();
    for (const n of model.nodes) {
        const inner = byName.get(n.name);
        if (!inner || !['Functional', 'Sequential'].includes(n.class) || seen.has(n.name)) {
            nodes.push(n);
            continue;
        }
        const flat = inlineNested(inner, models, new Set([...seen, n.name]));
        const p = (id) => `${n.id}/${id}`;
        const gid = 'm:' + n.id;
        for (const x of flat.nodes) nodes.push({ ...x, id: p(x.id) });
        for (const e of flat.edges) edges.push({ ...e, source: p(e.source), target: p(e.target) });
        const outer = groups.filter((g) => g.nodes.includes(n.id)).pop();
        groups.push({ id: gid, label: `${n.name} (${n.class})`, line: n.line,
            nodes: flat.nodes.map((x) => p(x.id)), parent: outer ? outer.id : null, repeat: 1 });
        for (const g of flat.groups || []) {
            groups.push({ ...g, id: `${gid}/${g.id}`, nodes: g.nodes.map(p),
                parent: g.parent ? `${gid}/${g.parent}` : gid });
        }
        for (const g of groups) {
            if (g.nodes.includes(n.id)) g.nodes = [...g.nodes.filter((x) => x !== n.id), ...flat.nodes.map((x) => p(x.id))];
        }
        const firsts = (flat.inputs || []).map((i) => i.node).filter(Boolean);
        entry.set(n.id, firsts.map(p)); // its InputLayer (a Sequential: its first layer)
        exit.set(n.id, (flat.outputs || []).map((o) => o.node).filter(Boolean).map(p));
    }
    for (const e of model.edges) {
        const sources = exit.get(e.source) || [e.source];
        const targets = entry.get(e.target) || [e.target];
        for (const s of sources) for (const t of targets) edges.push({ ...e, source: s, target: t });
    }
    return { ...model, nodes, edges, groups };
}

/** Which groups start folded: every run of repeated blocks; all top-level ones in a big graph. */
export function defaultFolded(model, bigAt = 300) {
    const folded = new Set();
    for (const g of model.groups || []) {
        if (g.repeat > 1 || g.id.startsWith('m:')) folded.add(g.id);
        if (model.nodes.length > bigAt && !g.parent && g.repeat >= 1) folded.add(g.id);
    }
    return folded;
}

/** The graph as shown: nodes (layers and folded boxes), edges between them, open groups. */
export function visible(model, folded) {
    const { byId, runHead, chain } = structure(model);
    const boxOf = (gid) => 'box:' + runHead.get(gid);
    const rep = new Map();
    const boxes = new Map();
    const nodes = [];
    const parentOf = new Map(); // visible node -> the innermost open group holding it
    const open = new Set();
    for (const n of model.nodes) {
        const c = chain.get(n.id);
        const k = c.findIndex((g) => folded.has(runHead.get(g)));
        const prefix = k < 0 ? c : c.slice(0, k); // the open groups around it
        const r = k < 0 ? n.id : boxOf(c[k]);
        rep.set(n.id, r);
        if (k < 0) {
            nodes.push({ id: n.id, node: n });
        } else if (!boxes.has(r)) {
            const box = { id: r, group: byId.get(runHead.get(c[k])), members: [], params: 0 };
            boxes.set(r, box);
            nodes.push(box);
        }
        if (k >= 0) {
            const box = boxes.get(r);
            box.members.push(n);
            box.params = box.params === null || n.params === null ? null : box.params + n.params;
        }
        if (prefix.length) parentOf.set(r, prefix[prefix.length - 1]);
        for (const g of prefix) open.add(g);
    }
    const edges = [];
    const seen = new Set();
    model.edges.forEach((e, i) => {
        const a = rep.get(e.source), b = rep.get(e.target);
        if (a === undefined || b === undefined || a === b) return;
        const key = boxes.has(a) || boxes.has(b) ? `${a}\u0000${b}\u0000${fmtShape(e.shape)}` : String(i);
        if (seen.has(key)) return;
        seen.add(key);
        edges.push({ id: 'e' + i, source: a, target: b, shape: e.shape,
            derivation: e.derivation || [] });
    });
    const groups = [...open].map((g) => byId.get(g));
    return { nodes, edges, groups, parentOf };
}

function nodeLines(v) {
    if (v.node) {
        const n = v.node;
        const p = n.params ? `  ${n.params.toLocaleString('en-US')} params` : '';
        return [`${n.name}  ${n.class}`, `${fmtShape(n.shape)}${p}`];
    }
    const g = v.group;
    const runs = g.repeat > 1 ? ` x ${g.repeat}` : '';
    const p = v.params === null ? '?' : v.params.toLocaleString('en-US');
    return [`${g.label}${runs}`, `${v.members.length} layers  ${p} params  (line ${g.line})`];
}

/** Lay out the visible graph with dagre: positions of nodes, edge points, group boxes. */
export function layout(view, options = {}) {
    const g = new dagre.graphlib.Graph({ compound: true, multigraph: true });
    g.setGraph({ rankdir: options.rankdir || 'TB', nodesep: 24, ranksep: 36, edgesep: 12,
        marginx: 16, marginy: 16 });
    g.setDefaultEdgeLabel(() => ({}));
    for (const v of view.nodes) {
        const lines = nodeLines(v);
        const w = Math.max(...lines.map((l) => l.length)) * CHAR_W + 20;
        g.setNode(v.id, { width: w, height: lines.length * LINE_H + 12, lines });
    }
    for (const grp of view.groups) {
        g.setNode('grp:' + grp.id, { label: grp.label, paddingTop: 18 });
        if (grp.parent && view.groups.some((x) => x.id === grp.parent)) {
            g.setParent('grp:' + grp.id, 'grp:' + grp.parent);
        }
    }
    for (const [v, grp] of view.parentOf) g.setParent(v, 'grp:' + grp);
    const labels = options.edgeLabels !== false;
    for (const e of view.edges) {
        const text = fmtShape(e.shape);
        // Beside the line, not across it: the label is read, the line followed.
        // Hovering an edge shows how its shape was computed (the derivation, as on hover).
        const title = [text, ...(e.derivation || [])].join('\n');
        g.setEdge(e.source, e.target, labels ? { width: text.length * CHAR_W * 0.9, height: 12,
            labelpos: 'r', labeloffset: 6, text, title } : { text, title }, e.id);
    }
    dagre.layout(g);
    return g;
}

function pathOf(points) {
    return 'M' + points.map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`).join('L');
}

const STYLE = `
.sl-graph{font:11px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;
 fill:var(--vscode-editor-foreground,#1f2328)}
.sl-graph .node rect{fill:var(--vscode-editorWidget-background,#f6f8fa);
 stroke:var(--vscode-editorWidget-border,#8c959f);stroke-width:1}
.sl-graph .node.box rect{fill:var(--vscode-editor-inactiveSelectionBackground,#ddf4ff);
 stroke-dasharray:4 2}
.sl-graph .node.input rect{stroke:var(--vscode-charts-green,#1a7f37);stroke-width:2}
.sl-graph .node.output rect{stroke:var(--vscode-charts-blue,#0969da);stroke-width:2}
.sl-graph .node.error rect{stroke:var(--vscode-errorForeground,#cf222e);stroke-width:2;
 fill:var(--vscode-inputValidation-errorBackground,#ffebe9)}
.sl-graph .group>rect{fill:none;stroke:var(--vscode-editorWidget-border,#8c959f);
 stroke-dasharray:2 3}
.sl-graph .group>text{fill:var(--vscode-descriptionForeground,#57606a)}
.sl-graph .edge path{fill:none;stroke:var(--vscode-editorWidget-border,#8c959f);stroke-width:1.2}
.sl-graph .edge text{fill:var(--vscode-descriptionForeground,#57606a);font-size:10px}
.sl-graph .node,.sl-graph .group>text{cursor:pointer}
.sl-graph .edge-head{fill:var(--vscode-editorWidget-border,#8c959f)}
`;

/** One model drawn: `<svg>` with `g.node` (data-id, data-line), `g.edge`, `g.group` elements. */
export function renderModel(model, folded, options = {}) {
    const view = visible(model, folded);
    const g = layout(view, options);
    const ins = new Set((model.inputs || []).map((x) => x.node));
    const outs = new Set((model.outputs || []).map((x) => x.node));
    const parts = [];
    const byLevel = view.groups.slice().sort((a, b) => depth(a, view) - depth(b, view));
    for (const grp of byLevel) {
        const b = g.node('grp:' + grp.id);
        if (!b || b.width === undefined) continue;
        const x = b.x - b.width / 2, y = b.y - b.height / 2;
        const runs = grp.repeat > 1 ? ` (x ${grp.repeat}: click to fold)` : '';
        parts.push(`<g class="group" data-group="${esc(grp.id)}" data-line="${grp.line}">` +
            `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${b.width.toFixed(1)}" ` +
            `height="${b.height.toFixed(1)}" rx="6"/><text x="${(x + 6).toFixed(1)}" ` +
            `y="${(y + 12).toFixed(1)}">\u25be ${esc(grp.label)}  line ${grp.line}${esc(runs)}</text></g>`);
    }
    for (const e of g.edges()) {
        const l = g.edge(e);
        const pts = l.points || [];
        let text = '';
        if (l.x !== undefined && l.width) {
            text = `<text x="${(l.x - l.width / 2).toFixed(1)}" y="${(l.y + 4).toFixed(1)}">` +
                `${esc(l.text)}</text>`;
        }
        parts.push(`<g class="edge" data-source="${esc(e.v)}" data-target="${esc(e.w)}">` +
            `<title>${esc(l.title || l.text)}</title><path d="${pathOf(pts)}" marker-end="url(#sl-arrow)"/>${text}</g>`);
    }
    for (const v of view.nodes) {
        const b = g.node(v.id);
        const x = b.x - b.width / 2, y = b.y - b.height / 2;
        const cls = ['node'];
        let title = '';
        if (v.node) {
            if (ins.has(v.id)) cls.push('input');
            if (outs.has(v.id)) cls.push('output');
            if (v.node.error) { cls.push('error'); title = v.node.error; }
        } else {
            cls.push('box');
            title = v.members.map((n) => `${n.name} (${n.class})`).join('\n');
        }
        const line = v.node ? v.node.line : v.group.line;
        const data = v.node ? `data-id="${esc(v.id)}"` : `data-box="${esc(v.group.id)}"`;
        const texts = b.lines.map((t, i) => `<text x="${(x + 10).toFixed(1)}" ` +
            `y="${(y + 16 + i * LINE_H).toFixed(1)}">${esc(t)}</text>`).join('');
        parts.push(`<g class="${cls.join(' ')}" ${data} data-line="${line ?? ''}">` +
            `<title>${esc(title || (v.node ? `line ${line}` : ''))}</title>` +
            `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${b.width.toFixed(1)}" ` +
            `height="${b.height.toFixed(1)}" rx="4"/>${texts}</g>`);
    }
    const size = g.graph();
    const w = Math.ceil(size.width || 100), h = Math.ceil(size.height || 100);
    return `<svg xmlns="http://www.w3.org/2000/svg" class="sl-graph" data-model="${esc(model.name)}" ` +
        `width="${w}" height="${h}" viewBox="0 0 ${w} ${h}"><style>${STYLE}</style>` +
        `<defs><marker id="sl-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" ` +
        `markerHeight="7" orient="auto"><path class="edge-head" d="M0,0L10,5L0,10z"/></marker></defs>` +
        parts.join('') + '</svg>';
}

function depth(grp, view) {
    let d = 0;
    for (let p = grp.parent; p; d++) {
        const next = view.groups.find((x) => x.id === p);
        p = next ? next.parent : null;
    }
    return d;
}

/** Every model of the JSON, each its default folding, as one SVG document per model. */
export function renderSVG(data, options = {}) {
    return data.models.map((m) => inlineNested(m, data.models)).map((m) => renderModel(m,
        options.expand ? new Set() : defaultFolded(m), options)).join('\n');
}
