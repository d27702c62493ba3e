"""How scsh reports an uncaught error when running a script (``scsh -s FILE``).

scsh's script driver (top.scm, parse-switches-and-execute) wraps the script in a
handler that, for any error, calls Scheme48's ``display-condition`` on the current
error port and exits with status 1. ``display-condition`` writes a blank line, then
``Error: MESSAGE`` (a string message displayed, anything else written), then each
irritant written on its own line, indented by the width of ``Error: ``. scsh cannot
be installed here, so this follows that code and spec/conditions.md §1 (**D** where
Scheme48's own wording of VM exceptions is not reproduced: polysock's message is used).

Errno errors show their packet: the strerror text, then the scsh procedure that
failed and its data (the same list ``with-errno-handler`` hands to a handler).
"""
from __future__ import annotations

from typing import Any, List, Tuple

from ..values.conditions import Condition
from ..values.pairs import to_list
from ..values.strings import MString
from ._report import user_error, who_name, write

STATUS = 1
HEAD = "Error: "
INDENT = " " * len(HEAD)


def _lines(message: Any, irritants: List[Any]) -> str:
    first = message.s if isinstance(message, MString) else message if isinstance(message, str) else write(message)
    return "\n" + HEAD + first + "".join("\n" + INDENT + write(x) for x in irritants)


def report(payload: Any) -> Tuple[str, int]:
    """Scheme48's display-condition text for an uncaught *payload*; scsh exits with 1."""
    if payload.__class__ is not Condition:
        return _lines("uncaught exception", [payload]), STATUS
    c: Condition = payload
    if user_error(c):
        if c.who not in (None, False):          # (error 'who "msg" ...): the message is 'who
            return _lines(c.who, [c.payload, *c.irritants]), STATUS
        return _lines(c.payload, list(c.irritants)), STATUS
    from .scsh_host import errno_of, errno_packet
    if errno_of(c) is not None:
        packet = to_list(errno_packet(c)) or []
        return _lines(packet[0], packet[1:]), STATUS
    who = who_name(c.who)
    text = (f"{who}: " if who else "") + c.message
    return _lines(text, list(c.irritants)), STATUS
