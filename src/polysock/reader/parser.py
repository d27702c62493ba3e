"""Datums from tokens: the ``Reader`` and its dialect options.

Theory of operation
-------------------
``Reader.read()`` runs one loop over ``Lexer.next_token()`` with an explicit stack of
frames, so nesting depth is limited by memory, not by Python's recursion limit.
Opening tokens (``(``, ``#(``, ``#u8(``) and prefix tokens (``'`` and friends,
``#;``, ``#n=``) push a frame; every finished datum is *delivered* to the top frame:
a list/vector frame appends it (or takes it as the dotted tail), a quote frame pops
and wraps it as ``(quote datum)``, a datum-comment frame pops and drops it, a label
frame pops, records the label and delivers the datum on. With no frame left the
datum is the result.

Every pair built for a list (or an abbreviation) is a ``SrcPair`` whose ``loc`` is
the location of the opening parenthesis (or of the quote character); all pairs of
one list share that location object.

Datum labels: ``#n=`` binds *n* to a placeholder until its datum is complete; a
``#n#`` read meanwhile yields the placeholder, and once the datum is done the
placeholders inside it are replaced in place (``_patch``, an iterative walk with a
visited set, so cycles are fine). Label scope is one top-level ``read``.

Reading from a port: ``Reader.from_port(port)`` takes characters through the port's
``peek_char()`` / ``read_char()`` (returning a 1-character str, or "" / EOF at the
end) and never consumes past the end of the datum it returns — a datum ending in an
atom leaves its delimiter unread. A port layer keeps one Reader per port so that
``#!fold-case`` and line numbers carry across ``read`` calls (a fresh Reader per call
is also correct, apart from those two).
"""
from __future__ import annotations

import gc
import re
from typing import Any, Callable, Dict, List, Optional, Tuple

from ..values.misc import DEFAULT, EOF, UNSPECIFIED
from ..values.pairs import NIL, Pair, SrcPair
from ..values.strings import MString
from ..values.conditions import SourceLocation
from .lexer import (T_BYTES, T_CLOSE, T_COMMENT, T_DATUM, T_DOT, T_EOF, T_HASH_BANG,
                    T_HOOK, T_LABEL_DEF, T_LABEL_REF, T_OPEN, T_QUOTE, T_VECTOR,
                    HashBangMarker, Lexer, read_error, _QUOTES)

SKIP = object()
"""Returned by a hash_bang or hash_dispatch hook: the syntax was a comment; read on."""

KEYWORD_STYLES = ("none", "prefix", "suffix", "both")


class ReaderOptions:
    """Lexical profile of a dialect (spec/conflicts.md §5). A plain class: dataclasses
    would import inspect and its dependencies at every start (about 5 ms)."""

    __slots__ = ("fold_case", "keywords", "hash_bang", "hash_dispatch", "script_header",
                 "scsh_header", "square_brackets")

    def __init__(self, fold_case: bool = False, keywords: str = "none",
                 hash_bang: Optional[Callable[["Reader", str], Any]] = None,
                 hash_dispatch: Optional[Dict[str, Callable[["Reader"], Any]]] = None,
                 script_header: bool = False, scsh_header: bool = False,
                 square_brackets: bool = False) -> None:
        if keywords not in KEYWORD_STYLES:
            raise ValueError(f"keywords must be one of {KEYWORD_STYLES}, not {keywords!r}")
        self.fold_case = fold_case
        self.keywords = keywords            # "none" | "prefix" (#:foo) | "suffix" (foo:) | "both"
        self.hash_bang = hash_bang
        self.hash_dispatch: Dict[str, Callable[["Reader"], Any]] = {} if hash_dispatch is None else hash_dispatch
        self.script_header = script_header  # skip a first line "#!/..." or "#! ..."
        self.scsh_header = scsh_header      # skip a leading "#!" ... "!#" block
        self.square_brackets = square_brackets

    def __repr__(self) -> str:
        return "ReaderOptions(" + ", ".join(f"{k}={getattr(self, k)!r}" for k in self.__slots__) + ")"

    def __eq__(self, other: object) -> bool:
        return other.__class__ is ReaderOptions and all(
            getattr(self, k) == getattr(other, k) for k in self.__slots__)

    __hash__ = None  # type: ignore[assignment]


DEFAULT_OPTIONS = ReaderOptions()

HASH_BANG_VALUES: Dict[str, Any] = {
    "eof": EOF, "default": DEFAULT, "unspecific": UNSPECIFIED,
    "optional": HashBangMarker("optional"), "rest": HashBangMarker("rest"),
    "key": HashBangMarker("key"),
}
"""What ``#!name`` reads as when ReaderOptions.hash_bang is not set."""


def default_hash_bang(reader: "Reader", name: str) -> Any:
    """The standard #!name objects; an error for any other name."""
    v = HASH_BANG_VALUES.get(name)
    if v is None:
        raise reader.error(f"unknown syntax #!{name}", at_token=True)
    return v


class _Placeholder:
    """Stands for #n# until the datum labelled #n= is complete."""

    __slots__ = ("n", "used")

    def __init__(self, n: int) -> None:
        self.n = n
        self.used = False


# A frame (one open construct on the reader's stack) is a Python list, indexed so:
_K, _ITEMS, _TAIL, _DOT, _CLOSE, _START, _LOC, _EXTRA = range(8)
# _DOT: 0 no dot yet, 1 dot seen, 2 tail read.  _EXTRA: quote symbol or placeholder.


def _frame(kind: int, start: int, loc: SourceLocation, close: str = "", extra: Any = None) -> list:
    return [kind, [], NIL, 0, close, start, loc, extra]


_LIST, _VECTOR, _BYTES, _QUOTE, _COMMENT, _LABEL = range(6)
_WHAT = {_LIST: "list", _VECTOR: "vector", _BYTES: "bytevector", _QUOTE: "quotation",
         _COMMENT: "#; datum comment", _LABEL: "datum label"}
_MISSING = object()
_MORE = object()
_SLOW = object()
_END = object()
# Text mode fast path: optional whitespace/comments, then an atom (not starting with
# a character that has its own syntax), "(", ")", a string, or anything else (x),
# which goes through Lexer.next_token.
_FAST = re.compile(r"""(?:\s+|;[^\n]*)*(?:
    (?P<a>[^\s()\[\]";|\#'`,][^\s()\[\]";|]*)
  | (?P<o>\()
  | (?P<c>\))
  | (?P<q>,@|['`,])
  | (?P<s>"[^"\\]*(?:\\.[^"\\]*)*")
  | (?P<x>.|\Z))""", re.VERBOSE | re.DOTALL)
_SCSH_END = re.compile(r"^!#[ \t]*\r?$", re.MULTILINE)


class Reader:
    """Reads datums from a string (or a port, see from_port)."""

    def __init__(self, text: str, filename: str = "<string>",
                 options: Optional[ReaderOptions] = None, _src: Any = None) -> None:
        self.options = options or DEFAULT_OPTIONS
        self.filename = filename
        self.lexer = Lexer(text, filename, self.options, _src)
        self.labels: Dict[int, Any] = {}
        self.token_start = 0          # buffer index of the token a hook is handling
        if _src is None and text.startswith("#!"):
            self._skip_header(text)

    @classmethod
    def from_port(cls, port: Any, filename: str = "<port>",
                  options: Optional[ReaderOptions] = None) -> "Reader":
        """A reader taking characters from *port* (peek_char/read_char), never past a datum."""
        return cls("", filename, options, _src=port)

    def _skip_header(self, text: str) -> None:
        """Skip a script header per options (shebang line or scsh #! ... !# block)."""
        if self.options.scsh_header:
            m = _SCSH_END.search(text, 2)
            if m is not None:
                self.lexer.pos = m.end()
                return
        if (self.options.script_header or self.options.scsh_header) and text[2:3] in ("/", " ", "\t"):
            nl = text.find("\n")
            self.lexer.pos = len(text) if nl < 0 else nl + 1

    # ------------------------------------------------------------ public API

    def read(self) -> Any:
        """The next datum, or EOF when the input is exhausted."""
        self.labels = {}
        enabled = gc.isenabled()
        gc.disable()        # reading allocates only acyclic data: spare the collector
        try:
            d = self._parse(False)
        finally:
            if enabled:
                gc.enable()
        return EOF if d is _END else d

    def read_all(self) -> List[Any]:
        """Every remaining datum."""
        out: List[Any] = []
        enabled = gc.isenabled()
        gc.disable()
        try:
            while True:
                self.labels = {}
                d = self._parse(False)
                if d is _END:
                    return out
                out.append(d)
        finally:
            if enabled:
                gc.enable()

    @property
    def position(self) -> int:
        """Index in the text just after the last token read (text mode)."""
        return self.lexer.pos + self.lexer.base

    # ------------------------------------------------------------ hook API

    def location(self) -> SourceLocation:
        """Where the reader stands now."""
        return self.lexer.location(self.lexer.pos)

    def error(self, message: str, at_token: bool = False) -> Exception:
        """A read error (to raise) at the current position, or at the start of the
        #-token a hook is handling when *at_token*."""
        return self.lexer.error(message, self.token_start if at_token else None)

    def peek_char(self) -> str:
        """The next character without consuming it; "" at end of input."""
        lex = self.lexer
        start, ok = lex._need(lex.pos, 1)
        lex.pos = start
        return lex.text[start] if ok else ""

    def read_char(self) -> str:
        """The next character; "" at end of input."""
        c = self.peek_char()
        if c:
            self.lexer.pos += 1
        return c

    def read_datum(self) -> Any:
        """One nested datum (for hash_dispatch handlers); end of input is an error."""
        loc = self.location()
        d = self._parse(True)
        if d is _MISSING:
            raise read_error("end of input where a datum was expected", loc)
        return d

    # ------------------------------------------------------------ the loop

    def _parse(self, nested: bool) -> Any:
        lex = self.lexer
        stack: List[list] = []
        fast = lex.src is None
        while True:
            if fast:
                r = self._run_fast(stack)
                if r is not _SLOW:
                    return r
            kind, value, start = lex.next_token()
            if kind is T_DATUM:
                pass
            elif kind is T_OPEN:
                stack.append(_frame(_LIST, start, lex.location(start), value))
                continue
            elif kind is T_CLOSE:
                value = self._close(stack, value, start)
            elif kind is T_QUOTE:
                stack.append(_frame(_QUOTE, start, lex.location(start), extra=value))
                continue
            elif kind is T_VECTOR or kind is T_BYTES:
                stack.append(_frame(_VECTOR if kind is T_VECTOR else _BYTES, start,
                                    lex.location(start), ")"))
                continue
            elif kind is T_DOT:
                top = stack[-1] if stack else None
                if top is None or top[_K] != _LIST or not top[_ITEMS] or top[_DOT]:
                    raise lex.error("unexpected dot", start)
                top[_DOT] = 1
                continue
            elif kind is T_COMMENT:
                stack.append(_frame(_COMMENT, start, lex.location(start)))
                continue
            elif kind is T_LABEL_DEF:
                ph = _Placeholder(value)
                self.labels[value] = ph
                stack.append(_frame(_LABEL, start, lex.location(start), extra=ph))
                continue
            elif kind is T_LABEL_REF:
                v = self.labels.get(value, _MISSING)
                if v is _MISSING:
                    raise lex.error(f"undefined datum label #{value}#", start)
                if v.__class__ is _Placeholder:
                    v.used = True
                value = v
            elif kind is T_HASH_BANG:
                hook = self.options.hash_bang or default_hash_bang
                self.token_start = start
                value = hook(self, value)
                if value is SKIP:
                    continue
            elif kind is T_HOOK:
                self.token_start = start
                value = value(self)
                if value is SKIP:
                    continue
            elif kind is T_EOF:
                if stack:
                    f = stack[-1]
                    raise lex.error(f"end of input inside {_WHAT[f[_K]]} started at "
                                    f"{f[_LOC].line}:{f[_LOC].col}", start)
                return _MISSING if nested else _END
            r = self._deliver(stack, value, start)
            if r is not _MORE:
                return r

    def _run_fast(self, stack: List[list]) -> Any:
        """Text mode: take the common tokens with one regex until a datum is complete
        (return it) or a token needs the lexer (return _SLOW, lex.pos at its start)."""
        lex = self.lexer
        cache = lex.atom_cache
        atom_value = lex.atom_value
        location = lex.location
        deliver = self._deliver
        m = None
        for m in _FAST.finditer(lex.text, lex.pos):
            g = m.lastgroup
            if g == "a":
                tok = m.group(1)
                value = cache.get(tok, _MISSING)
                if value is _MISSING:
                    if tok == ".":
                        lex.pos = m.start(1)
                        return _SLOW
                    value = atom_value(tok)
                if stack:
                    top = stack[-1]
                    if top[0] == _LIST and top[3] == 0:
                        top[1].append(value)
                        continue
                value = deliver(stack, value, m.start(1))
            elif g == "o":
                start = m.start(2)
                stack.append([_LIST, [], NIL, 0, ")", start, location(start), None])
                continue
            elif g == "c":
                start = m.start(3)
                value = deliver(stack, self._close(stack, ")", start), start)
            elif g == "q":
                start = m.start(4)
                stack.append([_QUOTE, [], NIL, 0, "", start, location(start), _QUOTES[m.group(4)]])
                continue
            elif g == "s":
                start = m.start(5)
                body = m.group(5)[1:-1]
                if "\\" in body:
                    body = lex._unescape(body, start + 1)
                value = deliver(stack, MString(body), start)
            else:
                lex.pos = m.start(6)
                return _SLOW
            if value is not _MORE:
                lex.pos = m.end()
                return value
        raise AssertionError("the fast pattern always matches")  # pragma: no cover

    def _deliver(self, stack: List[list], value: Any, start: int) -> Any:
        """Hand a finished datum to the open frames; the final datum, or _MORE."""
        while stack:
            f = stack[-1]
            k = f[_K]
            if k == _LIST:
                if f[_DOT] == 0:
                    f[_ITEMS].append(value)
                elif f[_DOT] == 1:
                    f[_TAIL] = value
                    f[_DOT] = 2
                else:
                    raise self.lexer.error("more than one datum after dot", start)
                return _MORE
            if k == _VECTOR:
                f[_ITEMS].append(value)
                return _MORE
            if k == _BYTES:
                if value.__class__ is not int or not 0 <= value <= 255:
                    raise self.lexer.error("bytevector element must be an integer 0..255", start)
                f[_ITEMS].append(value)
                return _MORE
            stack.pop()
            if k == _QUOTE:
                value = SrcPair(f[_EXTRA], SrcPair(value, NIL, f[_LOC]), f[_LOC])
            elif k == _COMMENT:
                return _MORE
            else:
                value = self._define_label(f, value, start)
        return value

    def _close(self, stack: List[list], char: str, start: int) -> Any:
        """Finish the list/vector/bytevector closed by *char*."""
        lex = self.lexer
        if not stack:
            raise lex.error(f"unexpected {char}", start)
        f = stack[-1]
        if f[_K] not in (_LIST, _VECTOR, _BYTES):
            raise lex.error(f"unexpected {char} after {_WHAT[f[_K]]} (expected a datum)", start)
        if f[_CLOSE] != char:
            raise lex.error(f"{char} does not match the opening at {f[_LOC].line}:{f[_LOC].col} "
                            f"(expected {f[_CLOSE]})", start)
        stack.pop()
        if f[_K] == _VECTOR:
            return f[_ITEMS]
        if f[_K] == _BYTES:
            return bytearray(f[_ITEMS])
        if f[_DOT] == 1:
            raise lex.error("missing datum after dot", start)
        result = f[_TAIL]
        loc = f[_LOC]
        for x in reversed(f[_ITEMS]):
            result = SrcPair(x, result, loc)
        return result

    def _define_label(self, f: list, value: Any, start: int) -> Any:
        """Bind the label of frame *f* to *value*, patching placeholders inside it."""
        ph: _Placeholder = f[_EXTRA]
        if value is ph:
            raise read_error(f"datum label #{ph.n}= refers to itself", f[_LOC])
        self.labels[ph.n] = value
        if ph.used:
            _patch(value, ph)
        return value


def _patch(root: Any, ph: _Placeholder) -> None:
    """Replace *ph* by *root* everywhere inside root's pairs and vectors."""
    seen = set()
    todo: List[Any] = [root] if isinstance(root, (Pair, list)) else []
    while todo:
        x = todo.pop()
        if id(x) in seen:
            continue
        seen.add(id(x))
        if isinstance(x, Pair):
            a, d = x.car, x.cdr
            if a is ph:
                x.car = root
            elif isinstance(a, (Pair, list)):
                todo.append(a)
            if d is ph:
                x.cdr = root
            elif isinstance(d, (Pair, list)):
                todo.append(d)
        else:
            for i, e in enumerate(x):
                if e is ph:
                    x[i] = root
                elif isinstance(e, (Pair, list)):
                    todo.append(e)


# ------------------------------------------------------------ conveniences

def read_one(text: str, pos: int = 0, filename: str = "<string>",
             options: Optional[ReaderOptions] = None) -> Tuple[Any, int]:
    """(datum or EOF, index after it) for the first datum of text[pos:]."""
    r = Reader(text, filename, options)
    r.lexer.pos = max(pos, r.lexer.pos)
    d = r.read()
    return d, r.lexer.pos


def read_all(text: str, filename: str = "<string>",
             options: Optional[ReaderOptions] = None) -> List[Any]:
    """Every datum of *text*."""
    return Reader(text, filename, options).read_all()


__all__ = ["Reader", "ReaderOptions", "SKIP", "HASH_BANG_VALUES", "default_hash_bang",
           "read_one", "read_all", "HashBangMarker"]
