"""Per-thread dynamic state: parameter bindings and the exception-handler stack.

Theory of operation
-------------------
``STATE`` is the dynamic state of the green thread that is running now. Parameters use
deep binding: ``STATE.params`` is a dict {Parameter: value} replaced (never mutated)
by ``parameterize``, so a new thread can simply share its creator's dict. The handler
stack ``STATE.handlers`` is a tuple, innermost last, likewise replaced not mutated.
The scheduler calls ``switch_hook(old, new)`` on every switch between green threads,
which saves STATE on the old thread object and installs the new one's.
"""
from __future__ import annotations

from typing import Any, Callable, Dict, Optional, Tuple


class DynamicState:
    __slots__ = ("params", "handlers")

    def __init__(self, params: Optional[Dict[Any, Any]] = None, handlers: Tuple[Any, ...] = ()) -> None:
        self.params: Dict[Any, Any] = params if params is not None else {}
        self.handlers: Tuple[Any, ...] = handlers

    def inherit(self) -> "DynamicState":
        """The state a newly created thread starts with (parameters shared, no handlers)."""
        return DynamicState(self.params, ())


STATE = DynamicState()


def current() -> DynamicState:
    return STATE


def install(state: DynamicState) -> DynamicState:
    """Make *state* current; return the previous one."""
    global STATE
    old = STATE
    STATE = state
    return old


def switch_hook(old_thread: Any, new_thread: Any) -> None:
    """Called by the scheduler on each switch: save and restore the dynamic state."""
    global STATE
    if old_thread is not None:
        old_thread.dyn = STATE
    dyn = getattr(new_thread, "dyn", None)
    if dyn is None:
        dyn = new_thread.dyn = DynamicState()
    STATE = dyn


class Parameter:
    """A parameter object (make-parameter). Calling it with no argument reads the
    current value; ``converter`` applies to the initial value and to parameterize'd ones."""

    __slots__ = ("value", "converter", "name", "__weakref__")

    def __init__(self, value: Any, converter: Optional[Callable[[Any], Any]] = None, name: str = "parameter") -> None:
        self.converter = converter
        self.value = converter(value) if converter is not None else value
        self.name = name

    def __call__(self, *args: Any) -> Any:
        if not args:
            return STATE.params.get(self, self.value) if STATE.params else self.value
        # Dialect extension (CHICKEN, Guile): (p v) sets the current binding.
        v = args[0]
        if self.converter is not None and (len(args) < 2 or args[1] is not False):
            v = self.converter(v)
        self.set(v)
        return None

    def set(self, v: Any) -> None:
        """Assign the innermost binding (the global value when not parameterized)."""
        if self in STATE.params:
            STATE.params[self] = v   # the dict belongs to the parameterize that made it
        else:
            self.value = v

    def __repr__(self) -> str:
        return f"#<parameter {self.name}>"


def parameterize(bindings: Dict[Parameter, Any], thunk: Callable[[], Any]) -> Any:
    """Run *thunk* with *bindings* (already converted) in force."""
    st = STATE
    old = st.params
    new = dict(old)
    new.update(bindings)
    st.params = new
    try:
        return thunk()
    finally:
        st.params = old
