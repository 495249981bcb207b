// The interactive page around the drawing (the CLI's HTML and the VS Code webview): a model
// picker, fold/unfold, zoom, and a callback when a node is clicked (reveal its line).
import { defaultFolded, inlineNested, renderModel, structure } from './draw.js';

const CSS = `
body{margin:0;background:var(--vscode-editor-background,#fff);color:var(--vscode-editor-foreground,#1f2328);
 font:12px system-ui,sans-serif}
.sl-bar{position:sticky;top:0;z-index:1;display:flex;gap:6px;align-items:center;padding:6px 8px;
 background:var(--vscode-sideBar-background,#f6f8fa);border-bottom:1px solid var(--vscode-editorWidget-border,#d0d7de)}
.sl-bar button,.sl-bar select{font:inherit;color:inherit;background:transparent;
 border:1px solid var(--vscode-editorWidget-border,#8c959f);border-radius:3px;padding:2px 8px;cursor:pointer}
.sl-bar .sl-info{opacity:.75;margin-left:auto}
.sl-canvas{overflow:auto;padding:8px}
.sl-canvas svg{transform-origin:0 0}
`;

/** Draw `data` (docs/graph-json.md) into `root`; returns `{update(data), state}`. */
export function mount(root, data, options = {}) {
    const doc = root.ownerDocument;
    const style = doc.createElement('style');
    if (options.nonce) style.setAttribute('nonce', options.nonce);
    style.textContent = CSS;
    root.appendChild(style);
    const bar = doc.createElement('div');
    bar.className = 'sl-bar';
    bar.innerHTML = '<select class="sl-model" title="model"></select>' +
        '<button class="sl-fold" type="button">Fold all</button>' +
        '<button class="sl-unfold" type="button">Unfold all</button>' +
        '<button class="sl-zoom-out" type="button">-</button>' +
        '<button class="sl-zoom-in" type="button">+</button><span class="sl-info"></span>';
    const canvas = doc.createElement('div');
    canvas.className = 'sl-canvas';
    root.append(bar, canvas);
    const select = bar.querySelector('.sl-model');
    const state = { data, model: 0, folded: new Map(), zoom: 1, ms: 0 };

    // The model shown: its nested models inlined as groups (folded until clicked), memoised.
    let memo = { data: null, index: -1, model: null };
    const current = () => {
        if (memo.data !== state.data || memo.index !== state.model) {
            const m = state.data.models[state.model];
            memo = { data: state.data, index: state.model,
                model: m && inlineNested(m, state.data.models) };
        }
        return memo.model;
    };
    const foldedOf = (m) => {
        const key = m.name;
        if (!state.folded.has(key)) state.folded.set(key, defaultFolded(m));
        return state.folded.get(key);
    };
    function draw() {
        const m = current();
        if (!m) {
            canvas.textContent = 'No model found.';
            return;
        }
        const t0 = performance.now();
        canvas.innerHTML = renderModel(m, foldedOf(m));
        state.ms = performance.now() - t0;
        const svg = canvas.querySelector('svg');
        svg.style.transform = `scale(${state.zoom})`;
        bar.querySelector('.sl-info').textContent = `${m.name}: ${m.nodes.length} layers, ` +
            `${m.edges.length} edges, drawn in ${state.ms.toFixed(0)} ms`;
    }
    function fillSelect() {
        select.innerHTML = '';
        state.data.models.forEach((m, i) => {
            const o = doc.createElement('option');
            o.value = String(i);
            o.textContent = `${m.name} (${m.class})`;
            select.appendChild(o);
        });
        select.value = String(state.model);
        select.style.display = state.data.models.length > 1 ? '' : 'none';
    }
    select.addEventListener('change', () => { state.model = Number(select.value); draw(); });
    bar.querySelector('.sl-fold').addEventListener('click', () => {
        const m = current();
        state.folded.set(m.name, new Set((m.groups || []).filter((g) => !g.parent && g.repeat >= 1)
            .map((g) => g.id)));
        draw();
    });
    bar.querySelector('.sl-unfold').addEventListener('click', () => {
        state.folded.set(current().name, new Set());
        draw();
    });
    const zoom = (f) => { state.zoom = Math.min(4, Math.max(0.1, state.zoom * f)); draw(); };
    bar.querySelector('.sl-zoom-in').addEventListener('click', () => zoom(1.25));
    bar.querySelector('.sl-zoom-out').addEventListener('click', () => zoom(0.8));
    canvas.addEventListener('wheel', (ev) => {
        if (!ev.ctrlKey) return;
        ev.preventDefault();
        zoom(ev.deltaY < 0 ? 1.1 : 0.9);
    }, { passive: false });
    canvas.addEventListener('click', (ev) => {
        const el = ev.target.closest('g.node, g.group');
        if (!el) return;
        const m = current();
        const folded = foldedOf(m);
        const { runHead } = structure(m);
        if (el.dataset.box) {
            folded.delete(el.dataset.box);
            draw();
        } else if (el.classList.contains('group')) {
            folded.add(runHead.get(el.dataset.group) || el.dataset.group);
            draw();
        } else if (el.dataset.line && options.onNode) {
            options.onNode({ id: el.dataset.id, line: Number(el.dataset.line), model: m.name });
        }
    });
    fillSelect();
    draw();
    return {
        state,
        /** New data (an edit); `pick`: a model's index or name to show, else the same name. */
        update(next, pick) {
            const name = typeof pick === 'string' ? pick : current() && current().name;
            state.data = next;
            const i = typeof pick === 'number' && pick < next.models.length ? pick
                : next.models.findIndex((m) => m.name === name);
            state.model = i >= 0 ? i : 0;
            fillSelect();
            draw();
        },
        redraw: draw,
    };
}
