// Bundles src/ with dagre into one browser/Node script that `shapelens graph` embeds (HTML) or
// runs (SVG): ../server/shapelens/graphview/graphview.js, a build output that git ignores.
import * as esbuild from 'esbuild';

await esbuild.build({
    entryPoints: ['src/index.js'],
    bundle: true,
    outfile: '../server/shapelens/graphview/graphview.js',
    format: 'iife',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    target: 'es2020',
    minify: true,
    legalComments: 'inline',
    logLevel: 'warning',
});
