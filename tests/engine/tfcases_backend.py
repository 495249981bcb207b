"""TF cases: tf.backend functions the engine covers, as (args, kwargs) per path; expected from TF."""

from __future__ import annotations

from typing import Any

from shapelens.engine.types import Tensor
from support.op_truth import Typed

T = Tensor
CASES: dict[str, list[tuple[list[Any], dict[str, Any]]]] = {}
