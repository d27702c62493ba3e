"""syntax-rules: pattern matching and hygienic template instantiation.

A SyntaxRules object is a transformer (see scope.Macro). Matching compares literals
with free-identifier=? (use-site binding vs definition-site binding); pattern
variables bind to input subforms; ``p ...`` binds each variable of ``p`` to a list
(one level per ellipsis depth) and may be followed by tail patterns, in lists
(including a dotted tail) and in vectors. Instantiation copies the template,
replacing pattern variables by their matches and every other identifier by a
``Renamed`` made once per expansion, so the expansion's binders and free references
are hygienic (see scope.py). ``(... ...)`` escapes the ellipsis; a custom ellipsis is
given as ``(syntax-rules ellipsis (literal ...) rule ...)``.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

from ..values.conditions import SchemeError, make_condition
from ..values.pairs import NIL, Pair, location_of, cons
from .scope import Renamed, base_symbol, free_identifier_eq, is_identifier


def syntax_error(msg: str, form: Any, *irritants: Any) -> SchemeError:
    c = make_condition("syntax", None, msg, *irritants)
    c.loc = location_of(form)
    return SchemeError(c)


class _Multi:
    """Matches of an ellipsis subpattern: one binding dict per repetition."""

    __slots__ = ("items",)

    def __init__(self, items: List[Dict[Any, Any]]) -> None:
        self.items = items


class SyntaxRules:
    """The transformer built from one syntax-rules form."""

    def __init__(self, form: Any, env: Any, name: str = "") -> None:
        self.env = env
        self.name = name
        rest = form.cdr
        if not isinstance(rest, Pair):
            raise syntax_error("syntax-rules: bad syntax", form)
        self.ellipsis: Any = None
        if is_identifier(rest.car):
            self.ellipsis = rest.car
            rest = rest.cdr
            if not isinstance(rest, Pair):
                raise syntax_error("syntax-rules: bad syntax", form)
        lits = rest.car
        self.literals: List[Any] = []
        while isinstance(lits, Pair):
            self.literals.append(lits.car)
            lits = lits.cdr
        if lits is not NIL:
            raise syntax_error("syntax-rules: bad literal list", form)
        self.rules: List[Tuple[Any, Any, List[Any]]] = []
        r = rest.cdr
        while isinstance(r, Pair):
            rule = r.car
            if not (isinstance(rule, Pair) and isinstance(rule.cdr, Pair) and rule.cdr.cdr is NIL):
                raise syntax_error("syntax-rules: bad rule", rule if isinstance(rule, Pair) else form)
            pat = rule.car
            tmpl = rule.cdr.car
            pvars: List[Any] = []
            # the keyword position is ignored
            if isinstance(pat, Pair):
                self._collect(pat.cdr, pvars)
            self.rules.append((pat, tmpl, pvars))
            r = r.cdr

    # -- identifiers -------------------------------------------------------
    def _is_ellipsis(self, x: Any) -> bool:
        if not is_identifier(x):
            return False
        if any(x is l for l in self.literals):
            return False   # an ellipsis listed among the literals is a literal (R7RS 4.3.2)
        if self.ellipsis is not None:
            return x is self.ellipsis or base_symbol(x) is base_symbol(self.ellipsis)
        return base_symbol(x).name == "..."

    def _is_literal(self, x: Any) -> bool:
        return any(x is l for l in self.literals)

    def _collect(self, pat: Any, out: List[Any]) -> None:
        while True:
            if is_identifier(pat):
                if not self._is_literal(pat) and not self._is_ellipsis(pat) and base_symbol(pat).name != "_":
                    out.append(pat)
                return
            if isinstance(pat, Pair):
                self._collect(pat.car, out)
                pat = pat.cdr
                continue
            if pat.__class__ is list:
                for p in pat:
                    self._collect(p, out)
            return

    # -- matching ----------------------------------------------------------
    def __call__(self, form: Any, use_env: Any, expander: Any = None) -> Any:
        for pat, tmpl, _ in self.rules:
            b: Dict[Any, Any] = {}
            if isinstance(pat, Pair) and isinstance(form, Pair):
                if self._match(pat.cdr, form.cdr, use_env, b):
                    return self._instantiate(tmpl, b, {}, form)
            elif self._match(pat, form, use_env, b):
                return self._instantiate(tmpl, b, {}, form)
        raise syntax_error(f"{self.name or 'macro'}: no syntax-rules pattern matches", form, _strip_for_msg(form))

    def _match(self, pat: Any, x: Any, env: Any, b: Dict[Any, Any]) -> bool:
        if is_identifier(pat):
            if self._is_literal(pat):
                return is_identifier(x) and free_identifier_eq(x, env, pat, self.env)
            if base_symbol(pat).name == "_":
                return True
            b[pat] = x
            return True
        if isinstance(pat, Pair):
            if isinstance(pat.cdr, Pair) and self._is_ellipsis(pat.cdr.car):
                tail = pat.cdr.cdr
                tail_len = 0
                t = tail
                while isinstance(t, Pair):
                    tail_len += 1
                    t = t.cdr
                items: List[Any] = []
                y = x
                while isinstance(y, Pair):
                    items.append(y.car)
                    y = y.cdr
                n = len(items) - tail_len
                if n < 0:
                    return False
                matches = []
                for item in items[:n]:
                    bb: Dict[Any, Any] = {}
                    if not self._match(pat.car, item, env, bb):
                        return False
                    matches.append(bb)
                sub: List[Any] = []
                self._collect(pat.car, sub)
                for v in sub:
                    b[v] = _Multi([m for m in matches])
                # the rest (tail patterns + final cdr)
                rest = x
                for _ in range(n):
                    rest = rest.cdr
                return self._match(tail, rest, env, b)
            if not isinstance(x, Pair):
                return False
            if not self._match(pat.car, x.car, env, b):
                return False
            return self._match(pat.cdr, x.cdr, env, b)
        if pat is NIL:
            return x is NIL
        if pat.__class__ is list:
            if x.__class__ is not list:
                return False
            from ..values.pairs import from_iter
            return self._match(from_iter(pat), from_iter(x), env, b)
        return _datum_equal(pat, x)

    # -- instantiation -----------------------------------------------------
    def _instantiate(self, t: Any, b: Dict[Any, Any], renames: Dict[Any, Renamed], form: Any) -> Any:
        if is_identifier(t):
            if t in b:
                v = b[t]
                if isinstance(v, _Multi):
                    raise syntax_error(f"{self.name}: pattern variable used without ellipsis", form, base_symbol(t))
                return v
            r = renames.get(t)
            if r is None:
                r = renames[t] = Renamed(t, self.env)
            return r
        if isinstance(t, Pair):
            # (... ...) escape
            if self._is_ellipsis(t.car) and isinstance(t.cdr, Pair):
                return self._escaped(t.cdr.car, b, renames, form)
            out: List[Any] = []
            while isinstance(t, Pair):
                elem = t.car
                nxt = t.cdr
                depth = 0
                while isinstance(nxt, Pair) and self._is_ellipsis(nxt.car):
                    depth += 1
                    nxt = nxt.cdr
                if depth:
                    results = self._expand_ellipsis(elem, b, renames, form, depth)
                    out.extend(results)
                else:
                    out.append(self._instantiate(elem, b, renames, form))
                t = nxt
            tail = self._instantiate(t, b, renames, form) if t is not NIL else NIL
            loc = location_of(form)
            res = tail
            for x in reversed(out):
                res = cons(x, res)
            if loc is not None and isinstance(res, Pair):
                from ..values.pairs import SrcPair
                res = SrcPair(res.car, res.cdr, loc)
            return res
        if t.__class__ is list:
            from ..values.pairs import from_iter, to_list
            lst = self._instantiate(from_iter(t), b, renames, form)
            return to_list(lst) or []
        return t

    def _escaped(self, t: Any, b: Dict[Any, Any], renames: Dict[Any, Renamed], form: Any) -> Any:
        saved = self.ellipsis
        self.ellipsis = _NEVER
        try:
            return self._instantiate(t, b, renames, form)
        finally:
            self.ellipsis = saved

    def _expand_ellipsis(self, elem: Any, b: Dict[Any, Any], renames: Dict[Any, Renamed], form: Any, depth: int) -> List[Any]:
        vars_: List[Any] = []
        self._template_vars(elem, b, vars_)
        multis = [v for v in vars_ if isinstance(b.get(v), _Multi)]
        if not multis:
            raise syntax_error(f"{self.name}: no pattern variable under ellipsis", form)
        n = None
        for v in multis:
            ln = len(b[v].items)
            if n is None or ln < n:
                n = ln
        results: List[Any] = []
        for i in range(n or 0):
            nb = dict(b)
            for v in multis:
                nb.update(b[v].items[i])
            if depth > 1:
                results.extend(self._expand_ellipsis(elem, nb, renames, form, depth - 1))
            else:
                results.append(self._instantiate(elem, nb, renames, form))
        return results

    def _template_vars(self, t: Any, b: Dict[Any, Any], out: List[Any]) -> None:
        while True:
            if is_identifier(t):
                if t in b:
                    out.append(t)
                return
            if isinstance(t, Pair):
                self._template_vars(t.car, b, out)
                t = t.cdr
                continue
            if t.__class__ is list:
                for e in t:
                    self._template_vars(e, b, out)
            return


def _datum_equal(a: Any, b: Any) -> bool:
    """equal? for the atoms a pattern may contain (numbers, strings, chars, booleans)."""
    if a.__class__ is not b.__class__:
        return False
    if hasattr(a, "s") and hasattr(b, "s"):
        return bool(a.s == b.s)
    if a.__class__ is bytearray or a.__class__ in (int, str, bool):
        return bool(a == b)
    if a.__class__ is float:
        return bool(a == b or (a != a and b != b))
    return a is b


class _Never:
    pass


_NEVER = _Never()


def _strip_for_msg(form: Any) -> Any:
    from .scope import strip
    return strip(form)
