"""Run-time support for define-record-type (and the dialects' define-record forms).

The expander turns a record definition into calls of the "(polysock internal)"
procedures below; each returns a plain Python closure specialised to one record type
(the constructor is generated with exactly its arity), so a field access costs one
class test, one identity test and a list index. A record is ``values.misc.Record``
with its fields in the Python list ``vals``; fields the constructor does not take
start as #f. Records print as ``#<name field ...>`` through the printer's entry for
``Record`` (polysock.reader.printer).
"""
from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional

from ..values.conditions import out_of_range, wrong_type
from ..values.misc import UNSPECIFIED, Record, RecordType
from ..values.pairs import NIL, to_list
from ..values.strings import MString
from ..values.symbols import Symbol
from .argtypes import A, Arg
from .registry import primitive

INTERNAL = "(polysock internal)"
EXTRAS = "(polysock extras)"

_NAME = Arg("symbol or string", "({x}.__class__ is Symbol or {x}.__class__ is MString)")
_NAME_OR_FALSE = A.or_false(_NAME)


def _text(name: Any) -> str:
    return name.name if name.__class__ is Symbol else name.s


def type_label(rtd: RecordType) -> str:
    """The record type's name as messages show it (``<point>`` -> ``point``)."""
    n = rtd.name
    return n[1:-1] if len(n) > 2 and n[0] == "<" and n[-1] == ">" else n


def _named(fn: Callable[..., Any], name: str) -> Callable[..., Any]:
    fn.__name__ = fn.__qualname__ = name
    fn.scheme_name = name  # type: ignore[attr-defined]
    return fn


def _proc_name(name: Any, default: str) -> str:
    return default if name is None or name is False else _text(name)


def _field_index(who: str, pos: int, rtd: RecordType, k: Any) -> int:
    """A field given as an index or as its name, checked against *rtd*."""
    if k.__class__ is int:
        if not 0 <= k < len(rtd.fields):
            out_of_range(who, pos, k, "field index")
        return k
    if k.__class__ is Symbol or k.__class__ is MString:
        try:
            return rtd.fields.index(_text(k))
        except ValueError:
            pass
    wrong_type(who, pos, f"field of {type_label(rtd)}", k)


@primitive("%make-record-type", _NAME, A.list, lib=INTERNAL)
def _make_record_type(name: Any, field_names: Any) -> RecordType:
    """(%make-record-type name-symbol field-names-list) -> record-type"""
    names = to_list(field_names) if field_names is not NIL else []
    if names is None:
        wrong_type("%make-record-type", 2, "list of field names", field_names)
    fields: List[str] = []
    for f in names:
        if f.__class__ is not Symbol and f.__class__ is not MString:
            wrong_type("%make-record-type", 2, "list of field names", field_names)
        fields.append(_text(f))
    return RecordType(_text(name), fields)


_CONSTRUCTOR_TEMPLATE = "def _make({params}):\n    return Record(rtd, [{slots}])\n"


@primitive("%record-constructor", A.record_type, A.list, _NAME_OR_FALSE, lib=INTERNAL)
def _record_constructor(rtd: RecordType, field_list: Any, name: Any = None) -> Callable[..., Any]:
    """(%record-constructor rtd field-index-list [name]) -> procedure"""
    ks = to_list(field_list) if field_list is not NIL else []
    if ks is None:
        wrong_type("%record-constructor", 2, "list of fields", field_list)
    idxs = [_field_index("%record-constructor", 2, rtd, k) for k in ks]
    if len(set(idxs)) != len(idxs):
        wrong_type("%record-constructor", 2, "list of distinct fields", field_list)
    params = [f"a{i}" for i in range(len(idxs))]
    slots = ["False"] * len(rtd.fields)
    for p, i in zip(params, idxs):
        slots[i] = p
    ns: Dict[str, Any] = {"Record": Record, "rtd": rtd}
    exec(_CONSTRUCTOR_TEMPLATE.format(params=", ".join(params), slots=", ".join(slots)), ns)
    return _named(ns["_make"], _proc_name(name, f"make-{type_label(rtd)}"))


@primitive("%record-predicate", A.record_type, _NAME_OR_FALSE, lib=INTERNAL)
def _record_predicate(rtd: RecordType, name: Any = None) -> Callable[[Any], bool]:
    """(%record-predicate rtd [name]) -> procedure"""
    def pred(x: Any) -> bool:
        return x.__class__ is Record and x.rtype is rtd

    return _named(pred, _proc_name(name, f"{type_label(rtd)}?"))


@primitive("%record-accessor", A.record_type, A.any, _NAME_OR_FALSE, lib=INTERNAL)
def _record_accessor(rtd: RecordType, index: Any, name: Any = None) -> Callable[[Any], Any]:
    """(%record-accessor rtd index [name]) -> procedure"""
    i = _field_index("%record-accessor", 2, rtd, index)
    who = _proc_name(name, f"{type_label(rtd)}-{rtd.fields[i]}")
    label = type_label(rtd)

    def get(r: Any) -> Any:
        if r.__class__ is Record and r.rtype is rtd:
            return r.vals[i]
        wrong_type(who, 1, label, r)

    return _named(get, who)


@primitive("%record-modifier", A.record_type, A.any, _NAME_OR_FALSE, lib=INTERNAL)
def _record_modifier(rtd: RecordType, index: Any, name: Any = None) -> Callable[[Any, Any], Any]:
    """(%record-modifier rtd index [name]) -> procedure"""
    i = _field_index("%record-modifier", 2, rtd, index)
    who = _proc_name(name, f"set-{type_label(rtd)}-{rtd.fields[i]}!")
    label = type_label(rtd)

    def put(r: Any, v: Any) -> Any:
        if r.__class__ is Record and r.rtype is rtd:
            r.vals[i] = v
            return UNSPECIFIED
        wrong_type(who, 1, label, r)

    return _named(put, who)


@primitive("record?", A.any, lib=EXTRAS)
def record_p(x: Any) -> bool:
    """(record? obj) -> boolean"""
    return x.__class__ is Record


def record_type_of(x: Any) -> Optional[RecordType]:
    """The RecordType of a record, or None (for dialect helpers)."""
    return x.rtype if x.__class__ is Record else None
