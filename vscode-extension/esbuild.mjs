// Bundles src/extension.ts and its npm dependencies into dist/extension.js (one CommonJS file
// for VS Code's Node host; `vscode` is provided by the editor, so it stays external).
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
