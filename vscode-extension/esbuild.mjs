// Bundles src/extension.ts and its npm dependencies into dist/extension.js (one CommonJS file
// for VS Code's Node host; `vscode` is provided by the editor, so it stays external), and the
// model-graph drawing of ../graphview (dagre from ../graphview/node_modules: `npm ci` there) into
// dist/graphview.js for the graph webview: the same code `shapelens graph` embeds.
import * as esbuild from 'esbuild';

await esbuild.build({
    entryPoints: ['src/extension.ts'],
    bundle: true,
    outfile: 'dist/extension.js',
    format: 'cjs',
    platform: 'node',
    target: 'node18',
    external: ['vscode'],
    sourcemap: true,
    minify: false,
    logLevel: 'warning',
});

await esbuild.build({
    entryPoints: ['../graphview/src/index.js'],
    bundle: true,
    outfile: 'dist/graphview.js',
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    legalComments: 'inline',
    logLevel: 'warning',
});
