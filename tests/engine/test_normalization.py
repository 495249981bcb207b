"""Normalization layers: named cases, each checked against real Keras (TF 2.21) in the test run."""

from __future__ import annotations

from typing import Any

import pytest

from support.engine_vs_keras import assert_same

CASES: list[tuple[str, str, tuple[Any, ...], dict[str, Any], Any]] = [
    ("norm", "Normalization", (), {}, (None, 224, 224, 3)),
    ("norm-axis1", "Normalization", (), {"axis": 1}, (None, 3, 8, 8)),
    ("norm-axes", "Normalization", (), {"axis": (1, 2)}, (None, 4, 5, 3)),
    ("norm-axis-none", "Normalization", (), {"axis": None}, (None, 4)),
    ("norm-given", "Normalization", (), {"mean": 0.5, "variance": 2.0}, (None, 4)),
    ("norm-mean-only", "Normalization", (), {"mean": 0.5}, (None, 4)),
    ("norm-axis-out", "Normalization", (), {"axis": 3}, (None, 4)),
    ("norm-none-kept", "Normalization", (), {}, (None, None)),
    ("bn", "BatchNormalization", (), {}, (None, 3)),
    ("bn-4d", "BatchNormalization", (), {}, (None, 8, 8, 16)),
    ("bn-axis1", "BatchNormalization", (1,), {}, (None, 16, 8, 8)),
    ("bn-none-axis-dim", "BatchNormalization", (), {}, (None, None)),
    ("bn-axis-out-of-range", "BatchNormalization", (), {"axis": 3}, (None, 3)),
    ("bn-axis-negative-out", "BatchNormalization", (), {"axis": -3}, (None, 3)),
    ("bn-axis0-none", "BatchNormalization", (), {"axis": 0}, (None, 3)),
    ("bn-axis0", "BatchNormalization", (), {"axis": 0}, (4, 3)),
    ("bn-float-axis", "BatchNormalization", (), {"axis": 1.5}, (4, 3)),
    ("bn-str-axis", "BatchNormalization", (), {"axis": "1"}, (4, 3)),
    ("bn-bad-str-axis", "BatchNormalization", (), {"axis": "a"}, (4, 3)),
    ("bn-no-center-scale", "BatchNormalization", (), {"center": False, "scale": False}, (4, 3)),
    ("bn-renorm", "BatchNormalization", (), {"renorm": True}, (4, 3)),
    ("bn-renorm-bad-keys", "BatchNormalization", (),
     {"renorm": True, "renorm_clipping": {"foo": 1}}, (4, 3)),
    ("bn-renorm-rmax-rmin", "BatchNormalization", (),
     {"renorm": True, "renorm_clipping": {"rmax": 1, "rmin": 2}}, (4, 3)),
    ("bn-renorm-dmax", "BatchNormalization", (),
     {"renorm": True, "renorm_clipping": {"dmax": -1}}, (4, 3)),
    ("bn-bad-momentum", "BatchNormalization", (), {"momentum": "x"}, (4, 3)),
    ("bn-rank1", "BatchNormalization", (), {}, (4,)),
    ("bn-rank0", "BatchNormalization", (), {}, ()),
    ("ln", "LayerNormalization", (), {}, (None, 5, 3)),
    ("ln-axes", "LayerNormalization", (), {"axis": [1, 2]}, (None, 3, 4)),
    ("ln-dup-axes", "LayerNormalization", (), {"axis": [1, 1]}, (None, 3, 4)),
    ("ln-empty-axes", "LayerNormalization", (), {"axis": []}, (None, 3, 4)),
    ("ln-axis-out", "LayerNormalization", (), {"axis": 3}, (None, 3, 4)),
    ("ln-none-dim", "LayerNormalization", (), {}, (None, 3, None)),
    ("ln-none-dim-no-weights", "LayerNormalization", (), {"center": False, "scale": False},
     (None, 3, None)),
    ("ln-rms-scaling", "LayerNormalization", (), {"rms_scaling": True}, (None, 3)),
    ("ln-float-axis", "LayerNormalization", (), {"axis": 1.0}, (None, 3)),
    ("ln-bool-axis", "LayerNormalization", (), {"axis": True}, (None, 3)),
    ("ln-float-in-list", "LayerNormalization", (), {"axis": [1.0]}, (None, 3)),
    ("ln-mixed-list", "LayerNormalization", (), {"axis": [1, "a"]}, (None, 3)),
    ("gn", "GroupNormalization", (), {"groups": 4}, (None, 8, 8, 16)),
    ("gn-not-multiple", "GroupNormalization", (), {"groups": 2}, (None, 3)),
    ("gn-too-many", "GroupNormalization", (), {"groups": 4}, (None, 3)),
    ("gn-instance", "GroupNormalization", (), {"groups": -1}, (None, 3)),
    ("gn-axis-out", "GroupNormalization", (), {"groups": 3, "axis": 5}, (None, 3)),
    ("gn-axis-list", "GroupNormalization", (), {"groups": 3, "axis": [1]}, (None, 3)),
    ("gn-bool-groups", "GroupNormalization", (), {"groups": True}, (None, 3)),
    ("gn-zero-groups", "GroupNormalization", (), {"groups": 0}, (None, 3)),
    ("gn-float-groups", "GroupNormalization", (), {"groups": 2.0}, (None, 4)),
    ("gn-none-dim", "GroupNormalization", (), {"groups": 1}, (None, None)),
    ("gn-default-32", "GroupNormalization", (), {}, (None, 64)),
    ("gn-channels-first", "GroupNormalization", (), {"groups": 2, "axis": 1}, (None, 4, 7, 7)),
    ("un", "UnitNormalization", (), {}, (None, 3)),
    ("un-axis-out", "UnitNormalization", (), {"axis": 5}, (None, 3)),
    ("un-dup-axes", "UnitNormalization", (), {"axis": [1, 1]}, (None, 3)),
    ("un-bad-axis", "UnitNormalization", (), {"axis": "a"}, (None, 3)),
    ("un-list-out", "UnitNormalization", (), {"axis": [1, 2]}, (None, 3)),
    ("rms", "RMSNormalization", (), {}, (None, 5, 3)),
    ("rms-axes-none", "RMSNormalization", (), {"axis": [1, 2]}, (None, 3, None)),
    ("rms-axes", "RMSNormalization", (), {"axis": (2, 1)}, (None, 3, 4)),
    ("rms-axis-out", "RMSNormalization", (), {"axis": 5}, (None, 3)),
    ("rms-str-axis", "RMSNormalization", (), {"axis": "a"}, (None, 3)),
]


@pytest.mark.parametrize(("case", "name", "args", "kwargs", "shape"), CASES,
                         ids=[c[0] for c in CASES])
def test_matches_keras(case: str, name: str, args: tuple[Any, ...],
                       kwargs: dict[str, Any], shape: Any) -> None:
    assert_same(name, args, kwargs, shape)
