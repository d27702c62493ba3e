"""Tokens of Scheme source text, with positions; the reader's lexical layer.

Theory of operation
-------------------
A ``Lexer`` scans a text buffer ``text`` from index ``pos`` with compiled regexes
and a dispatch table keyed on a token's first character (``#`` has a second table
keyed on the character after it). ``next_token()`` returns ``(kind, value, start)``
where *kind* is one of the ``T_*`` strings below and *start* the buffer index of the
token's first character.

Two sources:

* **Text** (``src is None``): the whole input is in ``text``; ``_fill*`` never adds.
* **Port** (``src`` has ``peek_char()`` / ``read_char()``): ``text`` holds only what
  has been taken from the port. When a token runs into the end of the buffer the
  lexer takes more, never past the token's end: atoms grow only while
  ``peek_char()`` shows a constituent, strings and comments grow until their closing
  character has been read. So after ``read`` returns a datum the port is positioned
  just after it, as R7RS ``read`` requires. Before each fill the consumed prefix of
  the buffer is dropped (``base`` remembers how many characters came before), which
  keeps reading linear.

Rule for fills: a handler sets ``self.pos`` to its token start before calling a
``_fill*`` method and reloads ``self.text`` / ``self.pos`` afterwards, because a
fill may drop the prefix and shift indices.

Lines and columns (both 1-based, columns count code points) are computed on
demand by ``location(i)``, which advances a cursor through the text; requests are
almost always monotonic (token starts), so the total cost is linear.
"""
from __future__ import annotations

import re
from typing import Any, Callable, Dict, Optional, Tuple

from ..values.conditions import SchemeError, SourceLocation, make_condition
from ..values.misc import Keyword
from ..values.strings import MString
from ..values.symbols import intern
from .numparse import parse_number

# ---------------------------------------------------------------- character data

CHAR_NAMES: Dict[str, str] = {
    "alarm": "\a", "backspace": "\b", "delete": "\x7f", "escape": "\x1b",
    "newline": "\n", "null": "\0", "return": "\r", "space": " ", "tab": "\t",
    # names other Schemes write (CHICKEN, Guile, MIT)
    "nul": "\0", "linefeed": "\n", "altmode": "\x1b", "rubout": "\x7f", "page": "\x0c",
    "esc": "\x1b", "del": "\x7f",
}
"""#\\name -> character (R7RS names first, then accepted aliases)."""

CHAR_WRITE_NAMES: Dict[str, str] = {
    "\a": "alarm", "\b": "backspace", "\x7f": "delete", "\x1b": "escape",
    "\n": "newline", "\0": "null", "\r": "return", " ": "space", "\t": "tab",
}
"""character -> the R7RS name ``write`` uses."""

STRING_ESCAPES: Dict[str, str] = {
    "a": "\a", "b": "\b", "t": "\t", "n": "\n", "r": "\r",
    '"': '"', "\\": "\\", "|": "|", "0": "\0",
}
"""Mnemonic escapes inside "strings" and |symbols|."""

DELIMITERS = frozenset(" \t\n\r\f\v()[]\";|")

T_DATUM = "datum"          # value: the atom
T_OPEN = "open"            # value: the closing character expected
T_CLOSE = "close"          # value: ")" or "]"
T_VECTOR = "vector"        # #(
T_BYTES = "bytevector"     # #u8(
T_QUOTE = "quote"          # value: the symbol (quote, quasiquote, unquote, ...)
T_DOT = "dot"
T_COMMENT = "comment"      # #;  (skip the next datum)
T_LABEL_DEF = "label-def"  # #n=   value: n
T_LABEL_REF = "label-ref"  # #n#   value: n
T_HASH_BANG = "hash-bang"  # #!name (other than fold-case directives)  value: name
T_HOOK = "hook"            # a ReaderOptions.hash_dispatch entry; value: the handler
T_EOF = "eof"


class HashBangMarker:
    """``#!optional``, ``#!rest``, ``#!key`` (and other lambda-list markers); interned."""

    __slots__ = ("name",)
    name: str
    _table: Dict[str, "HashBangMarker"] = {}

    def __new__(cls, name: str) -> "HashBangMarker":
        m = cls._table.get(name)
        if m is None:
            m = object.__new__(cls)
            m.name = name
            cls._table[name] = m
        return m

    def __repr__(self) -> str:
        return f"#!{self.name}"


# ---------------------------------------------------------------- regexes

_WS = re.compile(r"\s*")
_ATOM = re.compile(r"[^\s()\[\]\";|]+")
_STRING = re.compile(r'"([^"\\]*(?:\\.[^"\\]*)*)"', re.DOTALL)
_BAR = re.compile(r"\|([^|\\]*(?:\\.[^|\\]*)*)\|", re.DOTALL)
_ESCAPE = re.compile(r"\\(?:x([0-9a-fA-F]+);|x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|"
                     r"U([0-9a-fA-F]{6})|[ \t]*\r?\n[ \t]*|(.))", re.DOTALL)
_BLOCK = re.compile(r"#\||\|#")
_LABEL = re.compile(r"#([0-9]+)([=#])")
_HEX = re.compile(r"[0-9a-fA-F]+\Z")
_BOOLEANS = {"#t": True, "#true": True, "#f": False, "#false": False}
_QUOTES = {"'": intern("quote"), "`": intern("quasiquote"), ",": intern("unquote"),
           ",@": intern("unquote-splicing")}


def read_error(message: str, loc: SourceLocation) -> SchemeError:
    """The read condition for *message* at *loc* (message prefixed with file:line:col)."""
    cond = make_condition("read", "read", f"{loc}: {message}",
                          file=loc.file, line=loc.line, col=loc.col)
    cond.loc = loc
    return SchemeError(cond)


class Lexer:
    """Tokens from a text buffer, optionally refilled from a port (see module doc)."""

    def __init__(self, text: str, filename: str, options: Any, src: Any = None) -> None:
        self.text = text
        self.pos = 0
        self.base = 0                 # characters dropped from the front of text
        self.filename = filename
        self.options = options
        self.src = src
        self.fold_case = bool(options.fold_case)
        # atom text -> value; atoms are immutable, so one read of "foo" or "12" serves
        # every later occurrence. Cleared when #!fold-case changes the mapping.
        self.atom_cache: Dict[str, Any] = {}
        self._lc_abs = 0              # location cursor: absolute index ...
        self._lc_line = 1             # ... its line ...
        self._lc_bol = 0              # ... and the absolute index of that line's start
        hooks = options.hash_dispatch or {}
        self._hooks = sorted(hooks.items(), key=lambda kv: -len(kv[0]))

    # ------------------------------------------------------------ positions and errors

    def location(self, i: int) -> SourceLocation:
        """SourceLocation of buffer index *i*."""
        a = self.base + i
        if a < self._lc_abs:
            if self.base == 0:
                self._lc_abs, self._lc_line, self._lc_bol = 0, 1, 0
            else:                      # the text is gone; the cursor is the best we have
                return SourceLocation(self.filename, self._lc_line, max(1, a - self._lc_bol + 1))
        seg_start = self._lc_abs - self.base
        n = self.text.count("\n", seg_start, i)
        if n:
            self._lc_line += n
            self._lc_bol = self.base + self.text.rindex("\n", seg_start, i) + 1
        self._lc_abs = a
        return SourceLocation(self.filename, self._lc_line, a - self._lc_bol + 1)

    def error(self, message: str, i: Optional[int] = None) -> SchemeError:
        """A read error at buffer index *i* (default: the current position)."""
        return read_error(message, self.location(self.pos if i is None else i))

    # ------------------------------------------------------------ port refills

    def _getc(self) -> str:
        c = self.src.read_char()
        return c if isinstance(c, str) else ""

    def _read_n(self, n: int) -> str:
        """Up to *n* characters from the port."""
        got = []
        for _ in range(n):
            c = self._getc()
            if not c:
                break
            got.append(c)
        return "".join(got)

    def _read_through(self, stop: str) -> str:
        """Characters from the port up to and including one in *stop*."""
        got = []
        while True:
            c = self._getc()
            if not c:
                break
            got.append(c)
            if c in stop:
                break
        return "".join(got)

    def _read_atom_rest(self, _: Any = None) -> str:
        """Characters from the port while the next one continues an atom."""
        got = []
        src = self.src
        while True:
            c = src.peek_char()
            if not isinstance(c, str) or not c or c in DELIMITERS or c.isspace():
                break
            got.append(self._getc())
        return "".join(got)

    def _take(self, keep: int, more: Callable[[Any], str], arg: Any = None) -> Tuple[int, int]:
        """Port mode: drop text[:keep], append more(arg). Returns (index shift, chars added)."""
        if self.src is None:
            return 0, 0
        if keep:
            self.location(keep)        # move the line cursor past what is dropped
            self.base += keep
            self.text = self.text[keep:]
        got = more(arg)
        self.text += got
        return keep, len(got)

    def _need(self, start: int, n: int) -> Tuple[int, bool]:
        """Make text[start:start+n] available; (new start, whether available)."""
        if len(self.text) >= start + n:
            return start, True
        shift, _ = self._take(start, self._read_n, start + n - len(self.text))
        start -= shift
        return start, len(self.text) >= start + n

    def _atom_span(self, start: int, at: int) -> Tuple[int, int]:
        """(new start, end) of the atom beginning at *at* in the token starting at *start*."""
        m = _ATOM.match(self.text, at)
        end = m.end() if m else at
        if end == len(self.text) and self.src is not None:
            shift, got = self._take(start, self._read_atom_rest)
            start, end = start - shift, end - shift + got
        return start, end

    # ------------------------------------------------------------ main loop

    def next_token(self) -> Tuple[str, Any, int]:
        """The next token as (kind, value, start index); self.pos moves past it."""
        text, pos = self.text, self.pos
        while True:
            pos = _WS.match(text, pos).end()   # type: ignore[union-attr]
            if pos >= len(text):
                shift, got = self._take(pos, self._read_n, 1)
                if not got:
                    self.pos = pos - shift
                    return (T_EOF, None, self.pos)
                text, pos = self.text, pos - shift
                continue
            c = text[pos]
            if c == ";":
                j = text.find("\n", pos)
                while j < 0 and self.src is not None:
                    shift, got = self._take(pos, self._read_through, "\n")
                    text, pos = self.text, pos - shift
                    if not got:
                        break
                    j = text.find("\n", pos)
                pos = len(text) if j < 0 else j + 1
                continue
            if c == "#":
                pos, _ = self._need(pos, 2)
                text = self.text
                nxt = text[pos + 1:pos + 2]
                if nxt == "|":
                    pos = self._skip_block_comment(pos)
                    text = self.text
                    continue
                if nxt == "!":
                    tok = self._directive(pos)
                    if tok is None:
                        text, pos = self.text, self.pos
                        continue
                    return tok
                return self._hash(pos)
            handler = _DISPATCH.get(c)
            if handler is None:
                return self._atom(pos)
            return handler(self, pos)

    # ------------------------------------------------------------ token handlers

    def _atom(self, start: int) -> Tuple[str, Any, int]:
        start, end = self._atom_span(start, start)
        tok = self.text[start:end]
        self.pos = end
        if tok == ".":
            return (T_DOT, None, start)
        return (T_DATUM, self.atom_value(tok), start)

    def atom_value(self, tok: str) -> Any:
        """A bare atom: number, keyword or symbol (remembered in atom_cache)."""
        v = self.atom_cache.get(tok)
        if v is not None:
            return v
        c = tok[0]
        v = None
        if c.isdigit() or c in "+-.":
            v = parse_number(tok)
        if v is None:
            kw = self.options.keywords
            if (kw == "suffix" or kw == "both") and len(tok) > 1 and tok[-1] == ":":
                v = Keyword(tok[:-1])
            else:
                v = intern(tok.lower() if self.fold_case else tok)
        self.atom_cache[tok] = v
        return v

    def _open(self, start: int) -> Tuple[str, Any, int]:
        c = self.text[start]
        if c == "[" and not self.options.square_brackets:
            raise self.error("unexpected [ (square brackets are not enabled)", start)
        self.pos = start + 1
        return (T_OPEN, ")" if c == "(" else "]", start)

    def _close(self, start: int) -> Tuple[str, Any, int]:
        c = self.text[start]
        if c == "]" and not self.options.square_brackets:
            raise self.error("unexpected ] (square brackets are not enabled)", start)
        self.pos = start + 1
        return (T_CLOSE, c, start)

    def _quote(self, start: int) -> Tuple[str, Any, int]:
        c = self.text[start]
        end = start + 1
        if c == ",":
            start, _ = self._need(start, 2)
            end = start + 2 if self.text.startswith(",@", start) else start + 1
        self.pos = end
        return (T_QUOTE, _QUOTES[self.text[start:end]], start)

    def _delimited(self, start: int, rx: "re.Pattern[str]", close: str, what: str) -> "re.Match[str]":
        """Match a "..."-style token, refilling through *close* in port mode."""
        while True:
            m = rx.match(self.text, start)
            if m is not None:
                return m
            shift, got = self._take(start, self._read_through, close)
            start -= shift
            if not got:
                raise self.error(f"end of input inside {what}", start)

    def _string(self, start: int) -> Tuple[str, Any, int]:
        m = self._delimited(start, _STRING, '"', "string")
        start = m.start()
        self.pos = m.end()
        body = m.group(1)
        if "\\" in body:
            body = self._unescape(body, start + 1)
        return (T_DATUM, MString(body), start)

    def _bar_symbol(self, start: int) -> Tuple[str, Any, int]:
        m = self._delimited(start, _BAR, "|", "|symbol|")
        start = m.start()
        self.pos = m.end()
        body = m.group(1)
        if "\\" in body:
            body = self._unescape(body, start + 1)
        return (T_DATUM, intern(body), start)

    def _unescape(self, body: str, offset: int) -> str:
        """Decode backslash escapes; *offset* is the buffer index of body[0]."""
        def one(m: "re.Match[str]") -> str:
            hexa = m.group(1) or m.group(2) or m.group(3) or m.group(4)
            if hexa is not None:
                code = int(hexa, 16)
                if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
                    raise self.error(f"bad character code in escape \\x{hexa}", offset + m.start())
                return chr(code)
            c = m.group(5)
            if c is None:
                return ""              # line continuation
            r = STRING_ESCAPES.get(c)
            if r is None:
                raise self.error(f"bad escape \\{c}", offset + m.start())
            return r
        return _ESCAPE.sub(one, body)

    def _skip_block_comment(self, start: int) -> int:
        """Skip the nested comment #| ... |# at *start*; returns (and sets) self.pos."""
        depth = 0
        pos = start
        while True:
            m = _BLOCK.search(self.text, pos)
            if m is None:
                resume = max(pos, len(self.text) - 1) - start
                shift, got = self._take(start, self._read_through, "#")
                start -= shift
                if not got:
                    raise self.error("end of input inside #| comment", start)
                pos = start + resume
                continue
            depth += 1 if m.group(0) == "#|" else -1
            pos = m.end()
            if depth == 0:
                self.pos = pos
                return pos

    def _directive(self, start: int) -> Optional[Tuple[str, Any, int]]:
        """#!fold-case / #!no-fold-case (consumed; None) or a T_HASH_BANG token."""
        start, end = self._atom_span(start, start + 2)
        name = self.text[start + 2:end]
        self.pos = end
        if name == "fold-case" or name == "no-fold-case":
            self.fold_case = name == "fold-case"
            self.atom_cache.clear()
            return None
        if not name:
            raise self.error("bad #! syntax", start)
        return (T_HASH_BANG, name, start)

    def _hash(self, start: int) -> Tuple[str, Any, int]:
        """Tokens starting with # (other than #| and #!); text[start+1] is available."""
        for key, handler in self._hooks:
            start, _ = self._need(start, 1 + len(key))
            if self.text.startswith(key, start + 1):
                self.pos = start + 1 + len(key)
                return (T_HOOK, handler, start)
        if start + 1 >= len(self.text):
            raise self.error("end of input after #", start)
        h = _HASH_TABLE.get(self.text[start + 1])
        if h is None:
            raise self.error(f"bad # syntax: #{self.text[start + 1]}", start)
        return h(self, start)

    def _h_vector(self, start: int) -> Tuple[str, Any, int]:
        self.pos = start + 2
        return (T_VECTOR, ")", start)

    def _h_bytevector(self, start: int) -> Tuple[str, Any, int]:
        start, ok = self._need(start, 4)
        if not ok or self.text[start + 2:start + 4] != "8(":
            raise self.error("bad # syntax (expected #u8()", start)
        self.pos = start + 4
        return (T_BYTES, ")", start)

    def _h_char(self, start: int) -> Tuple[str, Any, int]:
        start, ok = self._need(start, 3)
        if not ok:
            raise self.error("end of input in character literal", start)
        end = start + 3
        if self.text[start + 2].isalnum():
            start, end = self._atom_span(start, start + 2)
        name = self.text[start + 2:end]
        self.pos = end
        if len(name) == 1:
            return (T_DATUM, name, start)
        c = CHAR_NAMES.get(name)
        if c is None and self.fold_case:
            c = CHAR_NAMES.get(name.lower())
        if c is None and name[0] in "xX" and _HEX.match(name, 1):
            code = int(name[1:], 16)
            if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF:
                c = chr(code)
        if c is None:
            raise self.error(f"bad character name #\\{name}", start)
        return (T_DATUM, c, start)

    def _h_datum_comment(self, start: int) -> Tuple[str, Any, int]:
        self.pos = start + 2
        return (T_COMMENT, None, start)

    def _h_keyword(self, start: int) -> Tuple[str, Any, int]:
        if self.options.keywords not in ("prefix", "both"):
            raise self.error("bad # syntax: #: (keywords are not enabled)", start)
        start, end = self._atom_span(start, start + 2)
        self.pos = end
        name = self.text[start + 2:end]
        if not name:
            raise self.error("empty keyword #:", start)
        return (T_DATUM, Keyword(name), start)

    def _h_boolean(self, start: int) -> Tuple[str, Any, int]:
        start, end = self._atom_span(start, start)
        tok = self.text[start:end]
        self.pos = end
        v = _BOOLEANS.get(tok.lower())
        if v is None:
            raise self.error(f"bad # syntax: {tok}", start)
        return (T_DATUM, v, start)

    def _h_number(self, start: int) -> Tuple[str, Any, int]:
        start, end = self._atom_span(start, start)
        tok = self.text[start:end]
        self.pos = end
        n = parse_number(tok)
        if n is None:
            raise self.error(f"bad number syntax: {tok}", start)
        return (T_DATUM, n, start)

    def _h_label(self, start: int) -> Tuple[str, Any, int]:
        while True:
            m = _LABEL.match(self.text, start)
            if m is not None:
                break
            i = start + 1
            while i < len(self.text) and self.text[i].isdigit():
                i += 1
            if i < len(self.text):
                raise self.error("bad datum label (expected #n= or #n#)", start)
            shift, got = self._take(start, self._read_n, 1)
            start -= shift
            if not got:
                raise self.error("end of input in datum label", start)
        self.pos = m.end()
        return (T_LABEL_DEF if m.group(2) == "=" else T_LABEL_REF, int(m.group(1)), start)


# Token handlers by first character, and after "#": the class's functions, called with
# the lexer (tables of bound methods on each lexer made every lexer a reference cycle).
_Handler = Callable[[Lexer, int], Tuple[str, Any, int]]
_DISPATCH: Dict[str, _Handler] = {
    "(": Lexer._open, ")": Lexer._close, "[": Lexer._open, "]": Lexer._close,
    '"': Lexer._string, "|": Lexer._bar_symbol, "#": Lexer._hash,
    "'": Lexer._quote, "`": Lexer._quote, ",": Lexer._quote,
}
_HASH_TABLE: Dict[str, _Handler] = {
    "(": Lexer._h_vector, "u": Lexer._h_bytevector, "U": Lexer._h_bytevector,
    "\\": Lexer._h_char, ";": Lexer._h_datum_comment, ":": Lexer._h_keyword,
}
for _c in "tTfF":
    _HASH_TABLE[_c] = Lexer._h_boolean
for _c in "xXoObBdDeEiI":
    _HASH_TABLE[_c] = Lexer._h_number
for _c in "0123456789":
    _HASH_TABLE[_c] = Lexer._h_label
