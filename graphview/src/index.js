// The bundle's entry: one global, `ShapeLensGraph`, in a page (mount) and in Node (renderSVG).
import { defaultFolded, fmtShape, layout, renderModel, renderSVG, visible } from './draw.js';
import { mount } from './page.js';

globalThis.ShapeLensGraph = { mount, renderSVG, renderModel, defaultFolded, visible, layout, fmtShape };
