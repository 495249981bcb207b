"""numpy's dtype names and promotion, enough for what model code asks of a host array's dtype
(`x.dtype`, `astype("float32") / 255`); a dtype we cannot tell is None, never a guess.
"""

from __future__ import annotations

from typing import Any

from ..core.builtins import Builtin
from ..core.values import ExternalRef

_ALIASES = {"float": "float64", "int": "int64", "bool": "bool", "complex": "complex128",
            "double": "float64", "half": "float16", "single": "float32", "str": "str"}
_KNOWN = {f"float{b}" for b in (16, 32, 64)} | {f"int{b}" for b in (8, 16, 32, 64)} | {
    f"uint{b}" for b in (8, 16, 32, 64)} | {"bool", "complex64", "complex128", "object", "str"}


def dtype_name(v: Any) -> str | None:
    """`"float32"`, `np.float32`, `tf.float32`, `float`, `"f4"`-free spellings -> "float32"."""
    if isinstance(v, str):
        name = v
    elif isinstance(v, ExternalRef):
        name = v.qualname.rsplit(".", 1)[-1]
    elif isinstance(v, Builtin):
        name = v.name
    else:
        return None
    name = _ALIASES.get(name, name).removesuffix("_")
    return name if name in _KNOWN else None


def _kind(d: str) -> tuple[str, int]:
    if d == "bool":
        return ("b", 1)
    for k in ("uint", "int", "float", "complex"):
        if d.startswith(k):
            return (k[0], int(d[len(k):]) // 8)
    return ("o", 0)


def of_scalar(v: Any) -> str:
    """The dtype numpy gives a Python scalar turned into an array."""
    if isinstance(v, bool):
        return "bool"
    return "int64" if isinstance(v, int) else "float64"


def with_scalar(d: str | None, v: Any, true_divide: bool = False) -> str | None:
    """`array op python_scalar` (NEP 50: the scalar does not widen the array's dtype)."""
    if d is None:
        return None
    k, _ = _kind(d)
    if true_divide and k in "bui":
        return "float64"
    if isinstance(v, float) and k in "bui":
        return "float64"
    return d


def promote(a: str | None, b: str | None, true_divide: bool = False) -> str | None:
    """`array op array`: numpy's result dtype for the common numeric pairs, else None."""
    if a is None or b is None:
        return None
    (ka, sa), (kb, sb) = _kind(a), _kind(b)
    if "o" in (ka, kb) or "c" in (ka, kb):
        return a if a == b else None
    if a == b:
        out = a
    elif ka == kb:
        out = a if sa >= sb else b
    elif ka == "f" or kb == "f":
        f, fs, other_s = (a, sa, sb) if ka == "f" else (b, sb, sa)
        need = {1: 2, 2: 4}.get(other_s, 8)  # the float that holds every such integer
        out = f if fs >= need else f"float{need * 8}"
    elif ka == "b" or kb == "b":
        out = b if ka == "b" else a
    else:  # one signed, one unsigned
        _, us, i, is_ = (a, sa, b, sb) if ka == "u" else (b, sb, a, sa)
        out = i if is_ > us else (f"int{us * 16}" if us < 8 else "float64")
    if true_divide and _kind(out)[0] in "bui":
        return "float64"
    return out
