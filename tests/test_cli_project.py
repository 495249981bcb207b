"""`shapelens check` on whole projects: .gitignore rules, `--exclude`, named files, `-j N`.

Every tree is built here in tmp_path. Nothing about shapes is asserted: only which files are
checked, that `-j 2` prints byte for byte what `-j 1` prints, the exit codes, Ctrl-C, and that
a worker never runs the file it checks.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from shapelens.project import expand
from test_cli import BROKEN, CLEAN, NOTEBOOKS, _cli, run

MODEL = "import keras\nx = keras.Input((4,))\n"


def tree(root: Path, files: dict[str, str]) -> Path:
    """Write `files` (relative path -> text) under `root`."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def checked(root: Path, *args: str, exclude: tuple[str, ...] = ()) -> list[str]:
    """The files `check` reads for these arguments (relative to `root`, the current folder)."""
    os.chdir(root)
    return expand(list(args) or ["."], exclude)


@pytest.fixture(autouse=True)
def _keep_cwd(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(os.getcwd())  # restored after each test that chdirs


def _outside_any_repo(path: Path) -> bool:
    return not any((p / ".git").exists() for p in (path, *path.parents))


# --- .gitignore -----------------------------------------------------------------------------


def test_gitignore_patterns_skip_files_and_folders(tmp_path: Path) -> None:
    tree(tmp_path, {
        ".gitignore": "# generated\nbuild/\n*_pb2.py\n/top_only.py\n",
        "a.py": MODEL, "build/x.py": MODEL, "sub/build/y.py": MODEL, "m_pb2.py": MODEL,
        "sub/n_pb2.py": MODEL, "top_only.py": MODEL, "sub/top_only.py": MODEL,
    })
    assert checked(tmp_path) == ["./a.py", "./sub/top_only.py"]


def test_a_folder_pattern_does_not_skip_a_file_of_that_name(tmp_path: Path) -> None:
    tree(tmp_path, {".gitignore": "models.py/\n", "models.py": MODEL})
    assert checked(tmp_path) == ["./models.py"]


def test_negation_brings_a_file_back(tmp_path: Path) -> None:
    tree(tmp_path, {
        ".gitignore": "gen_*.py\n!gen_keep.py\n",
        "gen_drop.py": MODEL, "gen_keep.py": MODEL, "sub/gen_keep.py": MODEL,
    })
    assert checked(tmp_path) == ["./gen_keep.py", "./sub/gen_keep.py"]


def test_nested_gitignore_applies_below_its_folder_and_overrides_the_outer_one(
        tmp_path: Path) -> None:
    tree(tmp_path, {
        ".gitignore": "shared.py\n",
        "shared.py": MODEL, "local.py": MODEL,
        "sub/.gitignore": "local.py\n!shared.py\n",
        "sub/shared.py": MODEL, "sub/local.py": MODEL, "sub/deeper/local.py": MODEL,
        "other/local.py": MODEL,
    })
    assert checked(tmp_path) == ["./local.py", "./other/local.py", "./sub/shared.py"]


def test_virtualenvs_caches_and_vcs_folders_are_never_walked(tmp_path: Path) -> None:
    # ruff's default exclude list: a project without a .gitignore must not check its .venv.
    tree(tmp_path, {
        ".git/hooks/x.py": MODEL, ".hidden.py": MODEL, ".venv/pyvenv.cfg": "home = /usr\n",
        ".venv/lib.py": MODEL, "venv/lib/site-packages/k.py": MODEL, "node_modules/n.py": MODEL,
        ".ipynb_checkpoints/n.py": MODEL, ".tox/t.py": MODEL, "dist/d.py": MODEL,
        "__pycache__/c.py": MODEL, ".cache/c.py": MODEL,
    })
    assert checked(tmp_path) == ["./.cache/c.py", "./.hidden.py", "./__pycache__/c.py"]
    (tmp_path / ".gitignore").write_text("__pycache__/\n.cache/\n")
    assert checked(tmp_path) == ["./.hidden.py"]


def test_gitignore_files_above_the_folder_count_up_to_the_repository_top(tmp_path: Path) -> None:
    tree(tmp_path, {
        "repo/.git/HEAD": "ref: refs/heads/main\n", "repo/.gitignore": "gen/\n",
        "repo/src/.gitignore": "scratch.py\n",
        "repo/src/pkg/a.py": MODEL, "repo/src/pkg/gen/b.py": MODEL,
        "repo/src/pkg/scratch.py": MODEL,
    })
    assert checked(tmp_path / "repo" / "src", "pkg") == ["pkg/a.py"]


def test_outside_a_repository_a_gitignore_above_the_folder_is_not_read(tmp_path: Path) -> None:
    if not _outside_any_repo(tmp_path):
        pytest.skip("the temporary folder is inside a git repository")
    tree(tmp_path, {".gitignore": "*.py\n", "proj/a.py": MODEL})
    assert checked(tmp_path / "proj", ".") == ["./a.py"]


def test_a_named_folder_is_checked_even_if_ignored(tmp_path: Path) -> None:
    tree(tmp_path, {
        ".git/HEAD": "", ".gitignore": "build/\n",
        "build/x.py": MODEL, "build/.gitignore": "old.py\n", "build/old.py": MODEL,
    })
    assert checked(tmp_path) == []
    assert checked(tmp_path, "build") == ["build/x.py"]  # its own .gitignore still applies


# --- --exclude and named files --------------------------------------------------------------


def test_exclude_without_a_slash_matches_a_name_at_any_depth(tmp_path: Path) -> None:
    tree(tmp_path, {"a.py": MODEL, "legacy/b.py": MODEL, "src/legacy/c.py": MODEL,
                    "src/d_test.py": MODEL, "src/e.py": MODEL})
    assert checked(tmp_path, exclude=("legacy", "*_test.py")) == ["./a.py", "./src/e.py"]


def test_exclude_with_a_slash_is_anchored_at_the_current_folder(tmp_path: Path) -> None:
    tree(tmp_path, {"legacy/b.py": MODEL, "src/legacy/c.py": MODEL, "src/legacy/d.py": MODEL})
    assert checked(tmp_path, exclude=("/legacy",)) == ["./src/legacy/c.py", "./src/legacy/d.py"]
    assert checked(tmp_path, exclude=("src/legacy/c.py",)) == ["./legacy/b.py",
                                                               "./src/legacy/d.py"]
    # The same tree named from inside src: the pattern still means ./src/legacy/c.py.
    assert checked(tmp_path, "src", exclude=("src/legacy/c.py",)) == ["src/legacy/d.py"]


def test_a_named_file_is_always_checked(tmp_path: Path) -> None:
    tree(tmp_path, {".gitignore": "gen/\nskip.py\n", "gen/g.py": MODEL, "skip.py": MODEL,
                    "x.py": MODEL})
    assert checked(tmp_path, ".", "gen/g.py", "skip.py", "x.py", exclude=("x.py",)) == [
        "gen/g.py", "skip.py", "x.py"]


# --- the CLI: -j N, output, exit codes ------------------------------------------------------


def _project(root: Path) -> Path:
    """~10 files: clean models, one with an error, one that does not parse, a notebook, files
    a .gitignore skips and one an --exclude skips."""
    files = {f"pkg/m{i}.py": CLEAN.replace("Dense(10)", f"Dense({i + 1})") for i in range(5)}
    tree(root, {
        **files,
        "pkg/broken.py": BROKEN,
        "pkg/no_parse.py": "import keras\nx = keras.Input((3,)\n",
        "top.py": MODEL,
        ".gitignore": "out/\n",
        "out/ignored.py": BROKEN,
        "scratch/excluded.py": BROKEN,
    })
    (root / "nb").mkdir()
    shutil.copy(NOTEBOOKS / "unet_skip_error.ipynb", root / "nb" / "unet.ipynb")
    return root


@pytest.mark.parametrize("fmt", [(), ("--json",)], ids=["text", "json"])
def test_j2_prints_exactly_what_j1_prints(tmp_path: Path, fmt: tuple[str, ...]) -> None:
    root = _project(tmp_path)
    args = ("check", *fmt, "--exclude", "scratch", ".")
    serial, parallel = run(*args, "-j", "1", cwd=root), run(*args, "-j", "2", cwd=root)
    assert serial.stderr == "" and parallel.stderr == ""
    assert (parallel.returncode, parallel.stdout) == (serial.returncode, serial.stdout)
    assert serial.returncode == 1  # broken.py and the notebook's shape errors
    data = json.loads(run("check", "--json", "-j", "2", "--exclude", "scratch", ".",
                          cwd=root).stdout)
    assert [f["path"] for f in data["files"]] == [
        "./nb/unet.ipynb", *(f"./pkg/{n}.py" for n in ("broken", "m0", "m1", "m2", "m3", "m4",
                                                          "no_parse")), "./top.py"]
    if not fmt:  # every file is in the text too, in the same order
        heads = [line for line in serial.stdout.splitlines() if line.startswith("./")
                 and ":" not in line]
        assert heads == [f["path"] for f in data["files"]]


def test_exit_codes_are_the_same_for_any_jobs(tmp_path: Path) -> None:
    tree(tmp_path, {"clean/a.py": CLEAN, "clean/b.py": MODEL,
                    "err/a.py": CLEAN, "err/b.py": BROKEN,
                    "bad/a.py": BROKEN, "bad/b.ipynb": "{not json", "bad/c.py": CLEAN})
    for folder, code in (("clean", 0), ("err", 1), ("bad", 2)):
        procs = [run("check", folder, "-j", j, cwd=tmp_path) for j in ("1", "2")]
        assert [p.returncode for p in procs] == [code, code], folder
        assert procs[0].stdout == procs[1].stdout and procs[0].stderr == procs[1].stderr
    # An unreadable file: nothing on stdout, even for the files before it.
    assert procs[0].stdout == ""
    assert procs[0].stderr.startswith("shapelens: cannot read bad/b.ipynb: ")


@pytest.mark.parametrize("jobs", ["0", "-1", "two"])
def test_jobs_must_be_a_positive_number(tmp_path: Path, jobs: str) -> None:
    proc = run("check", "-j", jobs, str(tmp_path))
    assert proc.returncode == 2 and "usage: shapelens" in proc.stderr and proc.stdout == ""


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(c) for c in path.read_text().split()] if path.exists() else []


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc (Linux)")
def test_ctrl_c_ends_the_workers_and_exits_2(tmp_path: Path) -> None:
    big = CLEAN.replace("model = keras.Model(inputs, outputs)\n", "") * 40
    tree(tmp_path, {f"m{i:03}.py": big for i in range(200)})
    proc = subprocess.Popen([*_cli(), "check", "-j", "2", "."], cwd=tmp_path, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 60
    while len(_children(proc.pid)) < 2 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    workers = _children(proc.pid)
    assert len(workers) == 2, "the workers never started"
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)  # a hang fails here, with no time asserted
    assert (proc.returncode, out, err) == (2, "", "")
    assert not any(Path(f"/proc/{w}").exists() for w in workers)


def test_workers_never_run_the_files_they_check(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    hostile = (f"open({str(marker)!r}, 'w').close()\n"
               f"import keras\nx = keras.Input((4,))\n")
    tree(tmp_path, {f"m{i}.py": hostile for i in range(6)})
    tree(tmp_path, {"keras.py": hostile, "pkg/__init__.py": hostile, "pkg/use.py":
                    "import pkg\nimport keras\nx = keras.Input((4,))\n"})
    proc = run("check", "-j", "2", ".", cwd=tmp_path)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr
    heads = [line for line in proc.stdout.splitlines() if line.startswith("./")]
    assert len(heads) == 9  # every file checked, none run
    assert not marker.exists()
