// The server's settings read from VS Code's `shapelens.*` configuration, in the camelCase shape
// the server parses (server/shapelens/lsp/settings.py); the interpreter stays on the client side.
import * as path from 'node:path';
import * as vscode from 'vscode';

export interface ServerSettings {
    inlayHints: boolean;
    parameterHints: boolean;
    hintFormat: string;
    imageDataFormat: string;
    extraPaths: string[];
}

/** `${workspaceFolder}` and `~` expanded, relative paths made absolute against the folder. */
function resolvePath(p: string, folder: vscode.WorkspaceFolder | undefined): string {
    const root = folder?.uri.fsPath ?? '';
    let out = p.replace(/\$\{workspaceFolder\}/g, root).replace(/\$\{userHome\}/g, process.env.HOME ?? '');
    if (out.startsWith('~/')) {
        out = path.join(process.env.HOME ?? '', out.slice(2));
    }
    return path.isAbsolute(out) || !root ? out : path.join(root, out);
}

export function serverSettings(): ServerSettings {
    const folder = vscode.workspace.workspaceFolders?.[0];
    const cfg = vscode.workspace.getConfiguration('shapelens', folder?.uri);
    return {
        inlayHints: cfg.get<boolean>('inlayHints', true),
        parameterHints: cfg.get<boolean>('parameterHints', false),
        hintFormat: cfg.get<string>('hintFormat', 'shape'),
        imageDataFormat: cfg.get<string>('imageDataFormat', 'channels_last'),
        extraPaths: cfg.get<string[]>('extraPaths', []).map((p) => resolvePath(p, folder)),
    };
}
