// Fills bundled/libs (build output, gitignored): the shapelens package from ../server and the
// hash-pinned wheels of requirements.txt, so the .vsix needs only a Python >= 3.10 to run.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const libs = join(here, 'bundled', 'libs');
const source = resolve(here, '..', 'server', 'shapelens');
// The Python that runs pip only downloads wheels; they are py3-none-any, whatever its version.
const python = process.env.PYTHON ?? (process.platform === 'win32' ? 'python' : 'python3');

if (!existsSync(join(source, '__init__.py'))) {
    throw new Error(`shapelens sources not found at ${source}`);
}
rmSync(libs, { recursive: true, force: true });
execFileSync(
    python,
    ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-compile', '--no-deps',
     '--only-binary', ':all:', '--require-hashes', '--target', libs, '-r', join(here, 'requirements.txt')],
    { stdio: 'inherit' },
);
// Copied rather than pip-installed: a pure package whose data (engine/data/*.json) lives inside it.
cpSync(source, join(libs, 'shapelens'), {
    recursive: true,
    filter: (src) => !/__pycache__|\.pyc$/.test(src),
});
console.log(`bundled/libs: shapelens and requirements.txt, installed with ${python}`);
