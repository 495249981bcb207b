"""README.md opens with its two commands, and CI runs exactly README's test command."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", re.M | re.S)


def _commands(block: str) -> list[str]:
    """The command lines of a shell block (comments and blank lines dropped)."""
    lines = (ln.strip() for ln in block.splitlines())
    return [ln for ln in lines if ln and not ln.startswith("#")]


def _readme_blocks() -> list[tuple[int, str, str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return [(text[: m.start()].count("\n") + 1, m.group(1), m.group(2))
            for m in FENCE.finditer(text)]


def _readme_commands() -> tuple[str, str]:
    blocks = _readme_blocks()
    assert len(blocks) >= 2, "README.md must open with two fenced commands"
    (_, _, first), (_, _, second) = blocks[:2]
    run_cmds, test_cmds = _commands(first), _commands(second)
    assert len(run_cmds) == 1, run_cmds
    assert len(test_cmds) == 1, test_cmds
    return run_cmds[0], test_cmds[0]


def _ci_test_command() -> str:
    cmds = [c for c in _commands((ROOT / ".ci" / "run").read_text(encoding="utf-8"))
            if not c.startswith(("set ", "cd "))]
    assert len(cmds) == 1, f".ci/run should run one command besides set/cd: {cmds}"
    return cmds[0]


def test_two_fenced_commands_at_the_top() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = _readme_blocks()
    assert [lang for _, lang, _ in blocks[:2]] == ["sh", "sh"]
    # Nothing but the title and one line of setup text comes before them.
    before = text[: text.index("```")].strip().splitlines()
    assert before[0].startswith("# ")
    assert len([ln for ln in before if ln.strip()]) <= 2, before
    # The two blocks follow each other, with nothing but blank lines in between.
    lines = text.splitlines()
    first_end = blocks[0][0] + blocks[0][2].count("\n")
    assert all(not ln.strip() for ln in lines[first_end + 1: blocks[1][0] - 1])


def test_the_commands_are_the_main_job_and_the_tests() -> None:
    run_cmd, test_cmd = _readme_commands()
    assert run_cmd.endswith("shapelens check examples/unet.py")
    assert (ROOT / "examples" / "unet.py").is_file()
    assert shlex.split(test_cmd)[-2:] == ["-m", "pytest"]
    assert ".[test]" in test_cmd


def test_ci_runs_exactly_readmes_test_command() -> None:
    _, test_cmd = _readme_commands()
    assert _ci_test_command() == test_cmd
    assert shlex.split(_ci_test_command()) == shlex.split(test_cmd)
