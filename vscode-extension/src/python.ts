// Which Python runs the bundled server: the Python extension's interpreter, else the
// `shapelens.interpreter` setting, else python3 on PATH; the first that is >= 3.10 wins.
import { execFile } from 'node:child_process';
import * as vscode from 'vscode';
import { PythonExtension } from '@vscode/python-extension';

export const MIN_PYTHON: [number, number] = [3, 10];

export interface Candidate {
    source: string; // where it came from, for the log and the error message
    command: string;
}

export interface Interpreter extends Candidate {
    version: string;
}

/** A candidate that was tried and why it was not used. */
export interface Rejected extends Candidate {
    reason: string;
}

let pythonApi: PythonExtension | undefined;

/** The Python extension's API, or undefined when it is not installed (code-server, VSCodium). */
async function pythonExtension(): Promise<PythonExtension | undefined> {
    if (pythonApi) {
        return pythonApi;
    }
    if (!vscode.extensions.getExtension('ms-python.python')) {
        return undefined;
    }
    try {
        pythonApi = await PythonExtension.api();
    } catch {
        // An extension that fails to activate must not stop ours: fall back to the next source.
        pythonApi = undefined;
    }
    return pythonApi;
}

/** Calls `listener` when the interpreter selected in the Python extension changes. */
export async function onInterpreterChanged(listener: () => void): Promise<vscode.Disposable | undefined> {
    const api = await pythonExtension();
    return api?.environments.onDidChangeActiveEnvironmentPath(() => listener());
}

async function candidates(resource: vscode.Uri | undefined): Promise<Candidate[]> {
    const out: Candidate[] = [];
    const api = await pythonExtension();
    if (api) {
        const active = api.environments.getActiveEnvironmentPath(resource);
        const env = await api.environments.resolveEnvironment(active);
        const exe = env?.executable.uri?.fsPath;
        if (exe) {
            out.push({ source: 'the Python extension', command: exe });
        }
    }
    const setting = vscode.workspace.getConfiguration('shapelens', resource).get<string>('interpreter')?.trim() ?? '';
    if (setting) {
        out.push({ source: 'the shapelens.interpreter setting', command: setting });
    }
    out.push({ source: 'PATH', command: process.platform === 'win32' ? 'python' : 'python3' });
    return out;
}

function probe(command: string): Promise<{ version?: string; error?: string }> {
    const code = 'import sys; print("%d.%d.%d" % sys.version_info[:3])';
    return new Promise((resolve) => {
        execFile(command, ['-I', '-c', code], { timeout: 15000 }, (err, stdout) => {
            if (err) {
                const e = err as NodeJS.ErrnoException;
                resolve({ error: e.code === 'ENOENT' ? 'not found' : `failed: ${err.message.split('\n')[0]}` });
            } else {
                resolve({ version: stdout.trim() });
            }
        });
    });
}

function newEnough(version: string): boolean {
    const [major, minor] = version.split('.').map(Number);
    return major > MIN_PYTHON[0] || (major === MIN_PYTHON[0] && minor >= MIN_PYTHON[1]);
}

/** The first candidate that runs and is new enough, with every rejected one and its reason. */
export async function findInterpreter(
    resource: vscode.Uri | undefined,
): Promise<{ found?: Interpreter; rejected: Rejected[] }> {
    const rejected: Rejected[] = [];
    for (const c of await candidates(resource)) {
        const { version, error } = await probe(c.command);
        if (version && newEnough(version)) {
            return { found: { ...c, version }, rejected };
        }
        rejected.push({ ...c, reason: error ?? `Python ${version} is older than ${MIN_PYTHON.join('.')}` });
    }
    return { rejected };
}
