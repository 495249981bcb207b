"""Python's builtins and the methods of literals (str, list, dict), over abstract values.

Each works on known values and answers Unknown otherwise; none can run user code.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ...engine import Unknown
from .dispatch import ATTR, CALL, LEN, SUBSCRIPT
from .truth import is_literal, too_big, truth
from .values import MISSING, ClassVal, Descriptor, ExternalRef, Instance, SuperVal

if TYPE_CHECKING:
    from .context import Host as Analyzer
    from .context import ModuleCtx
    from .scope import Env


@dataclass(frozen=True)
class Builtin:
    name: str
    fn: Callable[..., Any]


def _known(*vals: Any) -> bool:
    return all(is_literal(v) or isinstance(v, range) for v in vals)


def _items(an: Analyzer, v: Any) -> list[Any] | None:
    return an.interp.iterate(v)


def _pure(name: str, fn: Callable[..., Any]) -> Builtin:
    """A builtin applied directly when all its arguments are known literals."""

    def run(
        an: Analyzer,
        args: list[Any],
        kwargs: dict[str, Any],
        node: ast.AST,
        ctx: ModuleCtx,
        env: Env,
    ) -> Any:
        for a in [*args, *kwargs.values()]:
            if isinstance(a, Unknown):
                return a
        if not _known(*args, *kwargs.values()):
            return Unknown(f"`{name}()` of a value not known statically")
        try:
            return fn(*args, **kwargs)
        except Exception as e:
            return Unknown(f"{type(e).__name__}: {e}")

    return Builtin(name, run)


def _seq_builtin(name: str, fn: Callable[[list[Any]], Any]) -> Builtin:
    """A builtin over one iterable whose items may be any value (len, list, tuple, ...)."""

    def run(
        an: Analyzer,
        args: list[Any],
        kwargs: dict[str, Any],
        node: ast.AST,
        ctx: ModuleCtx,
        env: Env,
    ) -> Any:
        if not args:
            return fn([])
        length = LEN.find(args[0]) if name == "len" else None
        if length is not None:
            return length(args[0])
        items = _items(an, args[0])
        if items is None:
            return Unknown(f"`{name}()` of a value not known statically")
        try:
            return fn(items)
        except Exception as e:
            return Unknown(f"{type(e).__name__}: {e}")

    return Builtin(name, run)


def _minmax(name: str, fn: Callable[..., Any]) -> Builtin:
    def run(
        an: Analyzer,
        args: list[Any],
        kwargs: dict[str, Any],
        node: ast.AST,
        ctx: ModuleCtx,
        env: Env,
    ) -> Any:
        vals = _items(an, args[0]) if len(args) == 1 else list(args)
        if vals is None or not _known(*vals) or kwargs.get("key") is not None:
            return Unknown(f"`{name}()` of values not known statically")
        try:
            return fn(vals, **({"default": kwargs["default"]} if "default" in kwargs else {}))
        except Exception as e:
            return Unknown(f"{type(e).__name__}: {e}")

    return Builtin(name, run)


def _zip(
    an: Analyzer, args: list[Any], kwargs: dict[str, Any], node: ast.AST, ctx: ModuleCtx, env: Env
) -> Any:
    seqs = [_items(an, a) for a in args]
    if any(s is None for s in seqs):
        return Unknown("`zip()` of a value not known statically")
    return list(zip(*seqs))


def _enumerate(
    an: Analyzer, args: list[Any], kwargs: dict[str, Any], node: ast.AST, ctx: ModuleCtx, env: Env
) -> Any:
    items = _items(an, args[0]) if args else None
    start = args[1] if len(args) > 1 else kwargs.get("start", 0)
    if items is None or not isinstance(start, int):
        return Unknown("`enumerate()` of a value not known statically")
    return list(enumerate(items, start))


def _map(
    an: Analyzer, args: list[Any], kwargs: dict[str, Any], node: ast.Call, ctx: ModuleCtx, env: Env
) -> Any:
    if len(args) < 2:
        return Unknown("map() without an iterable")
    seqs = [_items(an, a) for a in args[1:]]
    if any(s is None for s in seqs):
        return Unknown("`map()` over a value not known statically")
    return [an.interp.call(args[0], list(t), {}, node, ctx, env) for t in zip(*seqs)]


def _filter(
    an: Analyzer, args: list[Any], kwargs: dict[str, Any], node: ast.Call, ctx: ModuleCtx, env: Env
) -> Any:
    items = _items(an, args[1]) if len(args) > 1 else None
    if items is None:
        return Unknown("`filter()` over a value not known statically")
    out = []
    for it in items:
        kept = it if args[0] is None else an.interp.call(args[0], [it], {}, node, ctx, env)
        keep = truth(kept)
        if keep is None:
            return Unknown("`filter()` with a condition not known statically")
        if keep:
            out.append(it)
    return out


def _isinstance(
    an: Analyzer, args: list[Any], kwargs: dict[str, Any], node: ast.AST, ctx: ModuleCtx, env: Env
) -> Any:
    if len(args) != 2:
        return Unknown("isinstance() arguments")
    val, types = args
    tlist = types if isinstance(types, tuple) else (types,)
    if isinstance(val, Unknown):
        return val
    answers = set()
    for t in tlist:
        if isinstance(t, Builtin) and t.name in _TYPES:
            answers.add(
                isinstance(val, _TYPES[t.name])
                if _known(val) or isinstance(val, (list, tuple, dict))
                else False
            )
        elif isinstance(t, ClassVal) and isinstance(val, Instance):
            answers.add(_subclass(val.cls, t))
        elif isinstance(t, ClassVal):
            answers.add(False)
        else:
            return Unknown("isinstance() against a type not modelled")
    return any(answers)


def _subclass(c: ClassVal, target: ClassVal) -> bool:
    if c is target:
        return True
    return any(isinstance(b, ClassVal) and _subclass(b, target) for b in c.bases)


def _super(
    an: Analyzer, args: list[Any], kwargs: dict[str, Any], node: ast.AST, ctx: ModuleCtx, env: Env
) -> Any:
    method = env.method_scope()
    if method is None:
        return Unknown("super() outside a method")
    owner, self_val = method
    return SuperVal(owner, self_val)


def _noop(
    an: Analyzer, args: list[Any], kwargs: dict[str, Any], node: ast.AST, ctx: ModuleCtx, env: Env
) -> Any:
    return None


def _getattr(
    an: Analyzer, args: list[Any], kwargs: dict[str, Any], node: ast.AST, ctx: ModuleCtx, env: Env
) -> Any:
    if len(args) >= 2 and isinstance(args[1], str):
        v = an.interp.get_attr(args[0], args[1], node, ctx)
        if isinstance(v, Unknown) and len(args) == 3:
            return args[2]
        return v
    return Unknown("getattr() with a name not known statically")


def _hasattr(
    an: Analyzer, args: list[Any], kwargs: dict[str, Any], node: ast.AST, ctx: ModuleCtx, env: Env
) -> Any:
    if len(args) == 2 and isinstance(args[0], Instance) and isinstance(args[1], str):
        return args[1] in args[0].attrs or args[0].cls.lookup(args[1]) is not MISSING
    return Unknown("hasattr() not known statically")


def _setattr(
    an: Analyzer, args: list[Any], kwargs: dict[str, Any], node: ast.AST, ctx: ModuleCtx, env: Env
) -> Any:
    if len(args) == 3 and isinstance(args[0], Instance) and isinstance(args[1], str):
        args[0].attrs[args[1]] = args[2]
    return None


def _eval(
    an: Analyzer, args: list[Any], kwargs: dict[str, Any], node: ast.AST, ctx: ModuleCtx, env: Env
) -> Any:
    """`eval("ReLU")`: a known string that is a (dotted) name is that name's value; nothing else
    is evaluated."""
    text = args[0] if len(args) == 1 and not kwargs else None
    if not isinstance(text, str) or not all(p.isidentifier() for p in text.split(".")):
        return Unknown("eval() of anything but a name known statically is not followed")
    expr = ast.parse(text, mode="eval").body
    for sub in ast.walk(expr):
        ast.copy_location(sub, node)
    return an.interp.eval(expr, env, ctx)


def _type(
    an: Analyzer, args: list[Any], kwargs: dict[str, Any], node: ast.AST, ctx: ModuleCtx, env: Env
) -> Any:
    if len(args) == 1 and isinstance(args[0], Instance):
        return args[0].cls
    return Unknown("type() not modelled")


def _callable(
    an: Analyzer, args: list[Any], kwargs: dict[str, Any], node: ast.AST, ctx: ModuleCtx, env: Env
) -> Any:
    v = args[0] if args else None
    if CALL.find(v) is not None and not _known(v):
        return True
    if _known(v):
        return False
    return Unknown("callable() not known statically")


def _sorted(
    an: Analyzer, args: list[Any], kwargs: dict[str, Any], node: ast.AST, ctx: ModuleCtx, env: Env
) -> Any:
    items = _items(an, args[0]) if args else None
    if items is None or not _known(*items) or kwargs.get("key") is not None:
        return Unknown("sorted() of values not known statically")
    try:
        return sorted(items, reverse=bool(kwargs.get("reverse", False)))
    except TypeError as e:
        return Unknown(f"TypeError: {e}")


def _dict(
    an: Analyzer, args: list[Any], kwargs: dict[str, Any], node: ast.AST, ctx: ModuleCtx, env: Env
) -> Any:
    out: dict[Any, Any] = {}
    if args:
        if isinstance(args[0], dict):
            out.update(args[0])
        else:
            items = _items(an, args[0])
            if items is None:
                return Unknown("dict() of a value not known statically")
            try:
                out.update(items)
            except (TypeError, ValueError) as e:
                return Unknown(f"{type(e).__name__}: {e}")
    out.update(kwargs)
    return out


def _descriptor(kind: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    func = args[0] if args else kwargs.get("fget")
    return Descriptor(kind, func) if func is not None else Unknown(f"{kind}() without a function")


_TYPES: dict[str, Any] = {
    "int": int,
    "float": float,
    "str": str,
    "bool": bool,
    "list": list,
    "tuple": tuple,
    "dict": dict,
    "set": set,
}

BUILTINS: dict[str, Builtin] = {
    "len": _seq_builtin("len", len),
    "list": _seq_builtin("list", list),
    "tuple": _seq_builtin("tuple", tuple),
    "reversed": _seq_builtin("reversed", lambda s: list(reversed(s))),
    "sum": _minmax("sum", lambda v, **k: sum(v)),
    "any": _seq_builtin("any", lambda s: any(s) if _known(*s) else Unknown("any() of unknowns")),
    "all": _seq_builtin("all", lambda s: all(s) if _known(*s) else Unknown("all() of unknowns")),
    "min": _minmax("min", min),
    "max": _minmax("max", max),
    "zip": Builtin("zip", _zip),
    "enumerate": Builtin("enumerate", _enumerate),
    "map": Builtin("map", _map),
    "filter": Builtin("filter", _filter),
    "sorted": Builtin("sorted", _sorted),
    "dict": Builtin("dict", _dict),
    "isinstance": Builtin("isinstance", _isinstance),
    "super": Builtin("super", _super),
    "getattr": Builtin("getattr", _getattr),
    "hasattr": Builtin("hasattr", _hasattr),
    "setattr": Builtin("setattr", _setattr),
    "type": Builtin("type", _type),
    "eval": Builtin("eval", _eval),
    "callable": Builtin("callable", _callable),
    "print": Builtin("print", _noop),
    "property": Builtin("property", lambda an, a, k, n, c, e: _descriptor("property", a, k)),
    "staticmethod": Builtin("staticmethod", lambda an, a, k, n, c, e: _descriptor(
        "staticmethod", a, k)),
    "classmethod": Builtin("classmethod", lambda an, a, k, n, c, e: _descriptor(
        "classmethod", a, k)),
    "range": _pure("range", range),
    "abs": _pure("abs", abs),
    "int": _pure("int", int),
    "float": _pure("float", float),
    "str": _pure("str", str),
    "bool": _pure("bool", bool),
    "round": _pure("round", round),
    "divmod": _pure("divmod", divmod),
    "pow": _pure(
        "pow",
        lambda a, b, *m: (
            Unknown("pow too large") if isinstance(b, int) and b > 4096 else pow(a, b, *m)
        ),
    ),
    "repr": _pure("repr", repr),
    "format": _pure("format", lambda v, spec="": _format(v, spec)),
    "set": _pure("set", set),
    "frozenset": _pure("frozenset", frozenset),
    "chr": _pure("chr", chr),
    "ord": _pure("ord", ord),
    "hex": _pure("hex", hex),
}


def _format(value: Any, spec: str = "") -> Any:
    return Unknown("a string too large to build") if too_big(spec) else format(value, spec)


def lookup(name: str) -> Any:
    if name in BUILTINS:
        return BUILTINS[name]
    if name in ("True", "False", "None"):
        return {"True": True, "False": False, "None": None}[name]
    if name in (
        "ValueError",
        "TypeError",
        "KeyError",
        "Exception",
        "NotImplementedError",
        "RuntimeError",
        "IndexError",
        "AttributeError",
        "object",
    ):
        return ExternalRef(f"builtins.{name}")
    return MISSING


# --- methods of literal values ---------------------------------------------------------------

_MUTATING = {
    "append",
    "extend",
    "insert",
    "pop",
    "remove",
    "clear",
    "reverse",
    "sort",
    "update",
    "setdefault",
}
_SAFE_METHODS = {
    str: {
        "format",
        "upper",
        "lower",
        "join",
        "split",
        "startswith",
        "endswith",
        "replace",
        "strip",
        "lstrip",
        "rstrip",
        "capitalize",
        "title",
        "count",
        "find",
        "rsplit",
        "zfill",
        "isdigit",
    },
    list: {
        "append",
        "extend",
        "insert",
        "pop",
        "remove",
        "clear",
        "copy",
        "index",
        "count",
        "reverse",
        "sort",
    },
    tuple: {"index", "count"},
    dict: {"items", "keys", "values", "get", "update", "copy", "setdefault", "pop"},
}


def literal_attr(obj: Any, attr: str) -> Any:
    allowed = next((m for t, m in _SAFE_METHODS.items() if isinstance(obj, t)), None)
    if allowed is None or attr not in allowed:
        return Unknown(f"attribute `{attr}` of a {type(obj).__name__} is not modelled")
    method = getattr(obj, attr)

    def run(
        an: Analyzer,
        args: list[Any],
        kwargs: dict[str, Any],
        node: ast.AST,
        ctx: ModuleCtx,
        env: Env,
    ) -> Any:
        if (
            attr not in _MUTATING
            and not _known(*args, *kwargs.values())
            and not (isinstance(obj, str) and attr == "join")
        ):
            return Unknown(f"`.{attr}()` with values not known statically")
        if isinstance(obj, str) and (len(obj) > 10_000 or too_big(obj, *args, *kwargs.values())):
            return Unknown("a string too large to build")
        try:
            out = method(*args, **kwargs)
        except Exception as e:
            return Unknown(f"{type(e).__name__}: {e}")
        if attr in ("items", "keys", "values"):
            return list(out)
        return out

    return Builtin(f"{type(obj).__name__}.{attr}", run)


@CALL.register(Builtin)
def _call_builtin(an: Analyzer, b: Builtin, args: list[Any], kwargs: dict[str, Any],
                  node: ast.AST, ctx: ModuleCtx, env: Env) -> Any:
    return b.fn(an, args, kwargs, node, ctx, env)


@ATTR.register(int, float, complex, str, bytes, bool, list, tuple, dict, set, type(None))
def _literal_attr(an: Analyzer, obj: Any, attr: str, node: ast.AST, ctx: ModuleCtx) -> Any:
    return literal_attr(obj, attr)


@SUBSCRIPT.register(list, tuple, str, dict, range)
def _literal_subscript(an: Analyzer, obj: Any, key: Any, node: ast.AST, ctx: ModuleCtx) -> Any:
    if isinstance(key, Unknown):
        return key
    try:
        return obj[key]
    except Exception as e:
        return Unknown(f"{type(e).__name__}: {e}")
