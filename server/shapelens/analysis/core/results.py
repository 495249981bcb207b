"""Sites for what the user's own code makes: a call of a user function, method or callable object
(`x = conv_bn(x, 32)`), and a call's value assigned to a name (`x = x.reshape(-1, 28, 28, 1)`).

Which values show a shape is the plug-ins' answer (`dispatch.SHOWN`): the core knows no tensors.
"""

from __future__ import annotations

import ast
from typing import Any

from .context import Host, ModuleCtx
from .dispatch import CLASS_PROTOCOL, SHOWN
from .scope import Env
from .sites import Evaluation, Pos, shape_json, symbolic_json
from .values import BoundMethod, FuncVal, Instance, Partial

MAX_OP = 60  # characters of the callee's text kept as an assignment site's op


# The kinds `user_function` looks into; any other value is no user function.
_MAYBE_USER = (Partial, BoundMethod, Instance, FuncVal)


def user_function(func: Any) -> FuncVal | None:
    """The user's function a call runs: a function, bound method, partial of one, or an object
    whose class defines `__call__` (a framework class's instance is the plug-in's own site).
    Functions of installed libraries read from their source are not the user's."""
    if not isinstance(func, _MAYBE_USER):  # a layer, an external name: most calls
        return None
    for _ in range(8):  # partial(partial(f)) unwraps; a longer chain is not followed
        if isinstance(func, (Partial, BoundMethod)):
            func = func.func
        else:
            break
    if isinstance(func, Instance) and CLASS_PROTOCOL.ask(func.cls) is None:
        func = func.cls.lookup("__call__")
    if not isinstance(func, FuncVal) or getattr(func.module, "installed", False):
        return None
    return func


def shows(value: Any, assigned: bool) -> bool:
    """True when the value shows its shape at its call: a kind the plug-ins say shows, or a
    non-empty tuple/list of them only (a helper returning `(x, skip)`)."""
    handler = SHOWN.handlers[type(value)]  # `SHOWN.find(value)` without the call: every assignment
    if handler is not None:
        return bool(handler(value, assigned))
    if isinstance(value, (list, tuple)) and value:
        return all(shows(v, assigned) for v in value)
    return False


def call_user(an: Host, func: FuncVal, callee: Any, args: list[Any], kwargs: dict[str, Any],
              node: ast.Call, ctx: ModuleCtx, env: Env) -> Any:
    """Run a call of the user's function and, when its result shows, record the call as a site
    whose evaluation lists the sites the body evaluated (hover)."""
    an.open_inside()
    try:
        value = an.interp.call(callee, args, kwargs, node, ctx, env)
    finally:
        inside = an.close_inside()
    if shows(value, assigned=False):
        # One call expression may run several functions (`for fn in fns: x = fn(x)`): the site
        # keeps the first one's name and every function's shapes. Not progress: a helper of
        # data code (`normalize(batch)`) leaves a data loop cut off.
        an.record(Pos.of(ctx.path, node), func.qualname, None,
                  Evaluation(shape_json(value), inside=inside, symbolic=symbolic_json(value)),
                  progress=False)
    return value


class AssignedSites:
    """The positions `assigned` made sites of (a loop's later passes add their shapes there)."""

    def __init__(self) -> None:
        self.positions: set[Pos] = set()


def assigned(an: Host, value: Any, node: ast.expr, ctx: ModuleCtx) -> None:
    """`name = call(...)`: concrete data made by a call that is no site of its own shows its
    shape there (`input = tf.Variable(tf.random.normal([1, 5, 5, 3]))`)."""
    if not isinstance(node, ast.Call) or not shows(value, assigned=True):
        return
    pos = Pos.of(ctx.path, node)
    mine = an.state(AssignedSites).positions
    if pos in mine or an.site_at(pos) is None:  # a layer, op or helper site stays as it is
        mine.add(pos)
        an.record(pos, ast.unparse(node.func)[:MAX_OP], None, Evaluation(shape_json(value)),
                  progress=False)
