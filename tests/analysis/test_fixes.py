"""Quick fixes carried in a finding's data: applied to the file, Keras must then build the model.

The sizes a fix proposes are checked against Keras itself: they build, and every size between
them and the written one is rejected (so they are the nearest).
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

from shapelens.analysis import analyze

ROOT = Path(__file__).resolve().parents[2]

# A small U-Net (4 levels, 'same' or 'valid' 3x3 convs, no crops) as users write it; `more` is
# the second conv's padding argument, left out for 'valid' (Keras' default).
SMALL_UNET = textwrap.dedent("""\
    from keras import layers, Model

    def small_unet(input_size=({size}, {size}, 3)):
        inputs = layers.Input(input_size)
        x, skips = inputs, []
        for f in (8, 16, 32, 64):
            x = layers.Conv2D(f, 3, activation="relu", padding="{padding}")(x)
            x = layers.Conv2D(f, 3, activation="relu"{more})(x)
            skips.append(x)
            x = layers.MaxPooling2D(2)(x)
        x = layers.Conv2D(128, 3, padding="{padding}")(x)
        for f, skip in zip((64, 32, 16, 8), reversed(skips)):
            x = layers.UpSampling2D(2)(x)
            x = layers.Conv2D(f, 2, padding="same")(x)
            x = layers.concatenate([skip, x])
            x = layers.Conv2D(f, 3, activation="relu", padding="{padding}")(x)
        outputs = layers.Conv2D(1, 1, activation="sigmoid")(x)
        return Model(inputs, outputs)
    """)


def apply(text: str, edits: list[dict[str, Any]]) -> str:
    """Apply edits in analyser coordinates (1-based lines and UTF-8 byte columns)."""
    lines = text.encode("utf-8").splitlines(keepends=True)

    def offset(line: int, col: int) -> int:
        return sum(len(x) for x in lines[: line - 1]) + col - 1

    raw = text.encode("utf-8")
    for e in sorted(edits, key=lambda e: e["range"][:2], reverse=True):
        line, col, end_line, end_col = e["range"]
        raw = raw[: offset(line, col)] + e["text"].encode("utf-8") + raw[offset(end_line, end_col):]
    return raw.decode("utf-8")


def fixes_of(path: Path) -> list[dict[str, Any]]:
    errors = [f for f in analyze(str(path)).findings_for() if f.severity == "error"]
    assert errors, "the analyser should report the join Keras rejects"
    return list((errors[0].data or {}).get("fixes", []))


def keras_builds(source: str, func: str, **kwargs: Any) -> bool:
    """Whether Keras builds the model that `func(**kwargs)` of `source` returns."""
    namespace: dict[str, Any] = {"__name__": "fixed"}
    exec(compile(source, "fixed.py", "exec"), namespace)
    try:
        namespace[func](**kwargs)
    except ValueError:
        return False
    return True


def size_in(title: str) -> int:
    return int(title.split("(")[1].split(",")[0])


def test_paper_unet_at_570_gets_the_nearest_sizes_keras_builds(tmp_path: Path) -> None:
    src = (ROOT / "examples" / "unet_valid.py").read_text(encoding="utf-8")
    src = src.replace("input_size=(572, 572, 1)", "input_size=(570, 570, 1)")
    path = tmp_path / "unet570.py"
    path.write_text(src, encoding="utf-8")
    assert not keras_builds(src, "unet_valid")
    sized = [f for f in fixes_of(path) if f["title"].startswith("Change the Input size")]
    assert len(sized) == 2
    low, high = sorted(size_in(f["title"]) for f in sized)
    assert low < 570 < high
    for fix in sized:
        assert keras_builds(apply(src, fix["edits"]), "unet_valid")
    assert not any(keras_builds(src, "unet_valid", input_size=(s, s, 1))
                   for s in range(low + 1, high) if s != 570)


def test_same_unet_at_250_gets_multiples_of_16(tmp_path: Path) -> None:
    src = SMALL_UNET.format(size=250, padding="same", more=', padding="same"')
    path = tmp_path / "small.py"
    path.write_text(src, encoding="utf-8")
    assert not keras_builds(src, "small_unet")
    sized = [f for f in fixes_of(path) if f["title"].startswith("Change the Input size")]
    low, high = sorted(size_in(f["title"]) for f in sized)
    for fix in sized:
        assert keras_builds(apply(src, fix["edits"]), "small_unet")
    assert not any(keras_builds(src, "small_unet", input_size=(s, s, 3))
                   for s in range(low + 1, high))


def test_valid_unet_without_crops_switches_to_same(tmp_path: Path) -> None:
    src = SMALL_UNET.format(size=256, padding="valid", more="")
    path = tmp_path / "small_valid.py"
    path.write_text(src, encoding="utf-8")
    assert not keras_builds(src, "small_unet")
    same = [f for f in fixes_of(path) if "padding='same'" in f["title"]]
    assert len(same) == 1 and "Input size" not in same[0]["title"]
    fixed = apply(src, same[0]["edits"])
    assert keras_builds(fixed, "small_unet")
    assert fixed.count('padding="valid"') == 0 and "'same'" in fixed


def test_broken_article_unet_switches_to_same_at_a_size_that_builds(tmp_path: Path) -> None:
    src = (ROOT / "examples" / "unet_broken.py").read_text(encoding="utf-8")
    fixes = fixes_of(ROOT / "examples" / "unet_broken.py")
    assert "Cropping2D" in fixes[0]["title"]
    same = [f for f in fixes if "padding='same'" in f["title"]]
    assert len(same) == 1 and "Input size" in same[0]["title"]
    assert keras_builds(apply(src, same[0]["edits"]), "unet_broken")


def test_a_model_that_builds_gets_no_error_and_no_fix(tmp_path: Path) -> None:
    src = SMALL_UNET.format(size=256, padding="same", more=', padding="same"')
    path = tmp_path / "fine.py"
    path.write_text(src, encoding="utf-8")
    assert keras_builds(src, "small_unet")
    assert not [f for f in analyze(str(path)).findings_for() if f.severity == "error"]
