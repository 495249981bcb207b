// The server's settings read from VS Code's `shapelens.*` configuration, in the camelCase shape
// the server parses (server/shapelens/lsp/settings.py); the interpreter stays on the client side.
// Defaults live in one place, package.json (`get` without one returns the manifest's);
// tests/test_settings_defaults.py ties them to the server's.
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
    const get = <T>(key: keyof ServerSettings): T => {
        const value = cfg.get<T>(key);
        if (value === undefined) {
            throw new Error(`shapelens.${key} has no default in package.json`);
        }
        return value;
    };
    return {
        inlayHints: get<boolean>('inlayHints'),
        parameterHints: get<boolean>('parameterHints'),
        hintFormat: get<string>('hintFormat'),
        imageDataFormat: get<string>('imageDataFormat'),
        extraPaths: get<string[]>('extraPaths').map((p) => resolvePath(p, folder)),
    };
}
