"""Dispatch tables: for each operation on abstract values, the handler for each kind of value.

A kind is the Python class of an abstract value; plug-ins register handlers for their own kinds
(`@ATTR.register(TensorVal)`), so a new kind is one module plus registrations, never a new branch
in a ladder. A value with no handler gets None from `find`, and the caller answers Unknown with a
reason.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from ...engine.kept import ABSENT, Kept

F = TypeVar("F", bound=Callable[..., Any])


class Found(dict[type, Callable[..., Any] | None]):
    """The handler of each kind looked up so far (None: it has none), a kind not seen yet
    looked up along its MRO when first indexed: `handlers[type(node)]` is one dict lookup, no
    call, where the interpreter asks for every node it evaluates."""

    def __init__(self, registered: dict[type, Callable[..., Any]]):
        super().__init__()
        self.registered = registered

    def __missing__(self, kind: type) -> Callable[..., Any] | None:
        found = next((self.registered[k] for k in kind.__mro__ if k in self.registered), None)
        self[kind] = found
        return found


class Table:
    """Handlers of one operation, keyed by value kind (looked up along the class's MRO)."""

    def __init__(self, operation: str):
        self.operation = operation
        self._by_kind: dict[type, Callable[..., Any]] = {}
        self.handlers = Found(self._by_kind)

    def register(self, *kinds: type) -> Callable[[F], F]:
        def decorate(handler: F) -> F:
            for kind in kinds:
                self._by_kind[kind] = handler
            self.handlers.clear()
            return handler

        return decorate

    def find(self, value: Any) -> Callable[..., Any] | None:
        return self.handlers[type(value)]

    def kinds(self) -> list[type]:
        return list(self._by_kind)


# handler(an, obj, attr: str, node, ctx) -> value
ATTR = Table("attribute")
# handler(an, obj, attr: str, value, ctx) -> None: `obj.attr = value`
SET_ATTR = Table("attribute assignment")
# handler(an, func, args: list, kwargs: dict, node, ctx, env) -> value
CALL = Table("call")
# handler(an, obj, key, node, ctx) -> value
SUBSCRIPT = Table("subscript")
# handler(an, op: ast.operator, a, b, node, ctx) -> value; looked up on a, then on b
BINOP = Table("binary operator")
# handler(an, op: ast.unaryop, value, node, ctx) -> value
UNARY = Table("unary operator")
# handler(value) -> list of items | None when they cannot be known
ITERATE = Table("iterate")
# handler(value) -> len(value), or Unknown with the reason
LEN = Table("len")
# handler(value) -> True | False | None (not known statically)
TRUTH = Table("truth")
# handler(a, b, exact: bool) -> the value that stands for both (a and b of one kind); exact is
# False when the join stands for more paths than these two (a loop's passes)
JOIN = Table("join")
# handler(value) -> what `with value as t` binds to t
ENTER = Table("with")
# handler(value) -> the engine argument it stands for
TO_ENGINE = Table("to-engine")
# handler(value) -> the shape JSON of a value that carries one (for sites and hover)
SHAPE_JSON = Table("shape")
# handler(value) -> its shape JSON in the sizes an Input left open (`"ceil(H/2)"`), or None
SYMBOLIC_JSON = Table("symbolic")
# handler(value, assigned: bool) -> True when the value shows its shape at the call that made
# it (a site): returned by a call of the user's own function (assigned False), or assigned from
# a call that is no site of its own (assigned True: `x = np.zeros((2, 3))`). No handler: never.
SHOWN = Table("shown")


_MAX_FOUND = 10_000  # names whose handler `Names` keeps found


class Names:
    """Qualified names of external APIs (`numpy.zeros`, `keras.layers.Conv2D`) and their handlers.

    Exact names first, then the longest registered prefix (`keras.layers.`).
    """

    def __init__(self) -> None:
        self._exact: dict[str, Callable[..., Any]] = {}
        self._prefixes: list[tuple[str, Callable[..., Any]]] = []
        # The handler found for each name asked so far (None: none), so a name the code uses
        # again (every `layers.Conv2D`) is one lookup, not a walk over the prefixes; emptied at
        # every registration, and when it grows past `_MAX_FOUND` names (a long-lived server).
        self._found: dict[str, Callable[..., Any] | None] = {}

    def register(self, *names: str) -> Callable[[F], F]:
        def decorate(handler: F) -> F:
            for name in names:
                if name.endswith("."):
                    self._prefixes.append((name, handler))
                    self._prefixes.sort(key=lambda p: -len(p[0]))
                else:
                    self._exact[name] = handler
            self._found.clear()
            return handler

        return decorate

    def find(self, qualname: str) -> Callable[..., Any] | None:
        if qualname in self._found:
            return self._found[qualname]
        if len(self._found) >= _MAX_FOUND:
            self._found.clear()
        found = self._found[qualname] = self._find(qualname)
        return found

    def _find(self, qualname: str) -> Callable[..., Any] | None:
        found = self._exact.get(qualname)
        if found is not None:
            return found
        for prefix, handler in self._prefixes:  # a loop, not a generator: every external name
            if qualname.startswith(prefix):
                return handler
        return None


# Calls of external names: handler(an, qualname, args, kwargs, node, ctx) -> value
EXTERNAL_CALLS = Names()
# Attributes of external names: handler(an, qualname) -> value (default: a longer ExternalRef)
EXTERNAL_ATTRS = Names()


class Hooks:
    """Ordered lists of plug-in functions the core asks in turn; the first answer not None wins.

    `pure`: the answer depends on the (hashable) arguments only, so each is kept for the next
    analysis (engine/kept.py); registering a hook, or a plug-in changing what its hook answers
    (`forget`), drops the kept answers."""

    def __init__(self, question: str, pure: bool = False):
        self.question = question
        self._hooks: list[Callable[..., Any]] = []
        self._answers: Kept | None = Kept() if pure else None

    def register(self, hook: F) -> F:
        self._hooks.append(hook)
        self.forget()
        return hook

    def forget(self) -> None:
        if self._answers is not None:
            self._answers.forget()

    def ask(self, *args: Any) -> Any:
        kept = self._answers
        if kept is not None:
            answer = kept.get(args)
            if answer is not ABSENT:
                return answer
        answer = None
        for hook in self._hooks:
            answer = hook(*args)
            if answer is not None:
                break
        if kept is not None:
            kept.put(args, answer)
        return answer


# canonical(qualname) -> the one spelling of an external name (plug-ins rewrite their aliases)
CANONICAL = Hooks("canonical name", pure=True)
# star_exports(module_qualname, name) -> True when `from module import *` binds `name`
STAR_EXPORTS = Hooks("star import")
# class_protocol(cls) -> an object with instantiate/call/attr for instances of a framework class
CLASS_PROTOCOL = Hooks("class protocol")
# unknown_result(args, reason) -> the unknown value a call we cannot follow gives (its kind)
UNKNOWN_RESULT = Hooks("unknown result")
# external_module(name) -> True: never read (modelled by name); False: read from site-packages
EXTERNAL_MODULE = Hooks("external module", pure=True)
# not_followed(module, attr) -> why a class attribute of a module read from site-packages is
# not followed (`from_preset`: a download), the call's Unknown reason; None: followed
NOT_FOLLOWED = Hooks("not followed")
# concrete(value) -> the outputs of a call that ran on concrete data only (an op or a layer
# called on numpy arrays runs eagerly), re-kinded as concrete data; None: not the plug-in's kind
CONCRETE = Hooks("concrete result")
# name_check(an, qualname, node, ctx, imported: bool) -> None: a plug-in's diagnostics on an
# external name the code imports (`imported`: any prefix may be gone) or reads as an attribute
# (only the last part is new); every hook is asked (each answers None)
NAME_CHECK = Hooks("name check")
