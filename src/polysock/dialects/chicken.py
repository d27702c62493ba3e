"""The CHICKEN 5 dialect: the ``socket`` egg, (chicken tcp), (chicken condition) and the
CHICKEN host features socket programs use (spec/chicken.md, host-language.md §4).

Theory of operation
-------------------
The procedures live in the ``chicken_*`` modules (tables over the net core); this
module adds the CHICKEN *syntax* and declares the dialect:

* ``import`` / ``use`` / ``require-extension`` / ``require-library`` accept CHICKEN
  module names (``socket``, ``srfi-18``, ``(chicken tcp)``, CHICKEN 4 unit names) and
  hand library names to the core ``import`` (reached as ``%core-import`` from a
  helper library, since the macro takes the name ``import`` itself);
* ``define-values`` is rewritten onto plain ``define`` forms (the core form's hidden
  temporary is not visible at top level in this version);
* ``cond-expand`` knows the features ``chicken``, ``chicken-5``, ``csi``, ``srfi-4``,
  ``srfi-17`` on top of the core's;
* DSSSL lambda lists are the core's: ``#!optional`` and ``#!rest`` work (an omitted
  optional without a default is #!default, not CHICKEN's #f); ``#!key`` is not
  supported in user code (the socket procedures take keywords natively);
* ``define-record`` (``make-NAME``, ``NAME?``, ``NAME-FIELD``, ``NAME-FIELD-set!``,
  printed ``#<NAME>``), ``define-record-printer``, ``define-constant``,
  ``define-inline``, ``declare`` (ignored), ``module`` (its body is spliced), and the
  C FFI forms, which raise "C FFI not supported" when evaluated.

The reader reads ``foo:`` as a keyword and ``#${hex}`` as a blob.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List

from ..reader.parser import ReaderOptions
from ..runtime.argtypes import A
from ..runtime.registry import LIBRARIES, SCHEME_SOURCES, define_scheme, export_core_syntax
from ..values.conditions import throw
from ..values.misc import Keyword, Record, RecordType
from ..values.pairs import NIL, Pair, from_iter, to_list
from ..values.strings import MString
from ..values.symbols import Symbol, intern
from . import (chicken_conditions, chicken_host, chicken_options, chicken_ports,  # noqa: F401
               chicken_socket, chicken_tcp)
from ._spec import DialectSpec
from ._table import export, install
from .chicken_data import Blob

MODULE_LIB = "(chicken module)"
ALL = "(polysock chicken)"

# ---------------------------------------------------------------- module names

# CHICKEN 4 units and CHICKEN 5 modules polysock provides as part of the dialect env.
UMBRELLA = {"scheme", "chicken", "r5rs", "r7rs", "extras", "posix", "ports", "data-structures",
            "utils", "files", "lolevel", "irregex", "foreign", "srfi-17", "srfi-39", "srfi-8",
            "srfi-23", "srfi-9", "srfi-88", "foreigners", "feature-test"}
CH4_UNITS = {"tcp": "(chicken tcp)", "srfi-4": "(srfi-4)", "srfi-1": "(srfi-1)",
             "srfi-13": "(srfi-13)", "srfi-14": "(srfi-13)"}


def _key_of(parts: List[Any]) -> str:
    return "(" + " ".join(p.name if isinstance(p, Symbol) else str(p) for p in parts) + ")"


def _lib_datum(key: str) -> Any:
    items: List[Any] = []
    for t in key.strip("()").split():
        items.append(int(t) if t.isdigit() else intern(t))
    return from_iter(items)


def _known(key: str) -> bool:
    return key in LIBRARIES or key in SCHEME_SOURCES


def convert_spec(spec: Any) -> Any:
    """A CHICKEN import spec as an R7RS import set."""
    if isinstance(spec, Symbol):
        n = spec.name
        if n in UMBRELLA:
            return _lib_datum(ALL)
        if n in CH4_UNITS:
            return _lib_datum(CH4_UNITS[n])
        m = re.fullmatch(r"srfi-(\d+)", n)
        if m:
            mine = f"(srfi-{m.group(1)})"
            return _lib_datum(mine if _known(mine) else f"(srfi {m.group(1)})")
        return from_iter([spec])
    items = to_list(spec)
    if not items:
        return spec
    head = items[0]
    if isinstance(head, Symbol) and head.name in ("only", "except", "prefix", "rename") and len(items) >= 2:
        rest = [intern(x.name + ":") if isinstance(x, Keyword) else x for x in items[2:]]
        return from_iter([head, convert_spec(items[1])] + rest)
    key = _key_of(items)
    if head is intern("chicken") and not _known(key):
        return _lib_datum(ALL)
    if head is intern("srfi") and len(items) == 2 and not _known(key):
        mine = f"(srfi-{items[1]})"
        if _known(mine):
            return _lib_datum(mine)
        return _lib_datum(ALL) if items[1] in (8, 17, 39, 23, 9, 88) else spec
    return spec


def ck_import_spec(spec: Any) -> Any:
    """(%ck-import-spec spec) -> R7RS import set"""
    return convert_spec(spec)


# ---------------------------------------------------------------- records

def _record_printer_hook() -> None:
    from ..reader.printer import PRINTERS
    base = PRINTERS[Record]

    def p_record(x: Record, write: bool) -> str:
        pr = x.rtype.printer
        if isinstance(pr, tuple):         # a define-record type: (chicken-name,)
            pr = f"#<{pr[0]}>"
        if pr is None:
            return base(x, write)
        if isinstance(pr, str):
            return pr
        from ..runtime.ports import StringOutputPort
        out = StringOutputPort()
        pr(x, out)
        return out.getvalue()
    PRINTERS[Record] = p_record


_record_printer_hook()


def ck_default_printer(rtd: Any, name: Any) -> Any:
    """(%ck-default-printer! rtd 'name): records of rtd print as #<name>"""
    if isinstance(rtd, RecordType):
        rtd.printer = (name.name,)
        CK_TYPES[name.name] = rtd
    return False


#: name -> the record type the latest CHICKEN define-record of that name made
CK_TYPES: Dict[str, RecordType] = {}


def ck_set_record_printer(name: Any, proc: Any, env: Any) -> Any:
    """(%ck-set-record-printer! 'name proc env): records of the type called name print
    through proc (the type of define-record NAME, or a define-record-type bound to NAME)"""
    ns = getattr(env, "namespace", {})
    for rtd in (CK_TYPES.get(name.name), ns.get("%rt-" + name.name), ns.get(name.name)):
        if isinstance(rtd, RecordType):
            rtd.printer = proc
            return False
    throw("error", "define-record-printer", "unknown record type", name)


OVERRIDES = ("import", "cond-expand", "define-values")


def ck_reinstall(env: Any) -> Any:
    """(%ck-reinstall! env): CHICKEN's import/cond-expand/lambda/define in env again"""
    syn = getattr(env, "syntax", None)
    if syn is not None:
        for n in OVERRIDES:
            b = syn.get(intern("%ck-" + n))
            if b is not None:
                syn[intern(n)] = b
    return False


def ck_ffi(form: Any) -> Any:
    """(%ck-ffi 'form): the C FFI is not available"""
    throw("error", getattr(form, "name", "foreign"), "C FFI not supported")


install(MODULE_LIB, [
    export("%ck-import-spec", ck_import_spec, A.any),
    export("%ck-default-printer!", ck_default_printer, A.any, A.symbol),
    export("%ck-set-record-printer!", ck_set_record_printer, A.symbol, A.procedure, A.any),
    export("%ck-ffi", ck_ffi, A.any),
    export("%ck-reinstall!", ck_reinstall, A.any),
])

export_core_syntax("(polysock chicken-core)", "import", "cond-expand")
define_scheme("(polysock chicken-core)", """
(define-syntax %core-import (er-macro-transformer (lambda (f r c) (cons (r 'import) (cdr f)))))
(define-syntax %core-cond-expand (er-macro-transformer (lambda (f r c) (cons (r 'cond-expand) (cdr f)))))
""")

define_scheme(MODULE_LIB, r"""
(import (polysock chicken-core))

(define-syntax %ck-import
  (er-macro-transformer
   (lambda (f r c)
     `(,(r 'begin) (,(r '%core-import) ,@(map %ck-import-spec (cdr f)))
                   (,(r '%ck-reinstall!) (,(r 'the-environment)))))))
(define-syntax use
  (er-macro-transformer (lambda (f r c) `(,(r '%ck-import) ,@(cdr f)))))
(define-syntax require-extension
  (er-macro-transformer (lambda (f r c) `(,(r '%ck-import) ,@(cdr f)))))
(define-syntax require-library
  (er-macro-transformer (lambda (f r c) `(,(r '%ck-import) ,@(cdr f)))))
(define-syntax require-extension-for-syntax
  (er-macro-transformer (lambda (f r c) `(,(r 'begin)))))

(define-syntax %ck-cond-expand
  (er-macro-transformer
   (lambda (f r c)
     (define true-features '(chicken chicken-5 csi srfi-4 srfi-17 srfi-88 dsssl))
     (define (fix req)
       (cond ((and (symbol? req) (memq req true-features)) '(and))
             ((and (pair? req) (memq (car req) '(and or not)))
              (cons (car req) (map fix (cdr req))))
             (else req)))
     `(,(r '%core-cond-expand)
       ,@(map (lambda (cl)
                (if (and (pair? cl) (not (eq? (car cl) 'else)))
                    (cons (fix (car cl)) (cdr cl))
                    cl))
              (cdr f))))))

(define-syntax %ck-define-values
  (er-macro-transformer
   (lambda (f r c)
     (let ((formals (cadr f)) (expr (caddr f)))
       (define (all-values) `(,(r 'call-with-values) (,(r 'lambda) () ,expr) ,(r 'list)))
       (cond ((null? formals)
              `(,(r 'define) ,(r 'ignored) (,(r 'call-with-values) (,(r 'lambda) () ,expr)
                                              (,(r 'lambda) () #f))))
             ((not (pair? formals)) `(,(r 'define) ,formals ,(all-values)))
             (else
              (let ((first (car formals)))
                (let loop ((x (cdr formals)) (i 1) (defs '()))
                  (cond ((pair? x)
                         (loop (cdr x) (+ i 1)
                               (cons `(,(r 'define) ,(car x) (,(r 'list-ref) ,first ,i)) defs)))
                        (else
                         `(,(r 'begin)
                           (,(r 'define) ,first ,(all-values))
                           ,@(reverse defs)
                           ,@(if (null? x) '()
                                 `((,(r 'define) ,x (,(r 'list-tail) ,first ,i))))
                           (,(r 'define) ,(r 'ignored) (,(r 'set!) ,first (,(r 'car) ,first))))))))))))))

(define-syntax define-record
  (er-macro-transformer
   (lambda (f r c)
     (let* ((name (cadr f))
            (fields (map (lambda (x) (if (pair? x) (cadr x) x)) (cddr f)))
            (s (symbol->string name))
            (rt (string->symbol (string-append "%rt-" s)))
            (sym (lambda parts (string->symbol (apply string-append parts)))))
       `(,(r 'begin)
         (,(r 'define-record-type) ,rt
          (,(sym "make-" s) ,@fields)
          ,(sym s "?")
          ,@(map (lambda (fld)
                   (let ((fs (symbol->string fld)))
                     (list fld (sym s "-" fs) (sym s "-" fs "-set!"))))
                 fields))
         (,(r '%ck-default-printer!) ,rt ',name))))))

(define-syntax define-record-printer
  (er-macro-transformer
   (lambda (f r c)
     (let ((head (cadr f)))
       (if (pair? head)
           `(,(r '%ck-set-record-printer!) ',(car head)
             (,(r 'lambda) ,(cdr head) ,@(cddr f)) (,(r 'the-environment)))
           `(,(r '%ck-set-record-printer!) ',head ,(caddr f) (,(r 'the-environment))))))))

(define-syntax define-constant
  (syntax-rules () ((_ name expr) (define name expr))))
(define-syntax define-inline
  (syntax-rules () ((_ head body ...) (define head body ...))))
(define-syntax declare
  (syntax-rules () ((_ x ...) (begin))))
(define-syntax module
  (er-macro-transformer
   (lambda (f r c) `(,(r 'begin) ,@(cdddr f)))))
(define-syntax foreign-lambda (syntax-rules () ((_ x ...) (%ck-ffi 'foreign-lambda))))
(define-syntax foreign-lambda* (syntax-rules () ((_ x ...) (%ck-ffi 'foreign-lambda*))))
(define-syntax foreign-value (syntax-rules () ((_ x ...) (%ck-ffi 'foreign-value))))
(define-syntax foreign-declare (syntax-rules () ((_ x ...) (%ck-ffi 'foreign-declare))))
(define-syntax foreign-code (syntax-rules () ((_ x ...) (%ck-ffi 'foreign-code))))
(define-syntax define-foreign-variable (syntax-rules () ((_ x ...) (%ck-ffi 'define-foreign-variable))))
""")


# ---------------------------------------------------------------- srfi fallbacks

def _alias_all(lib: str, names: List[str]) -> None:
    from ..runtime.registry import alias
    for n in names:
        for src in ("(polysock extras)", "(scheme base)"):
            if n in LIBRARIES.get(src, {}):
                alias(lib, n, src, n)
                break


_alias_all("(srfi-1)", ["any", "every", "filter", "filter-map", "find", "find-tail", "fold",
                        "fold-left", "fold-right", "reduce", "delete", "delete!",
                        "delete-duplicates", "remove", "partition", "count", "iota", "first",
                        "second", "third", "fourth", "fifth", "last", "last-pair", "take",
                        "drop", "take-while", "drop-while", "list-index", "append-map",
                        "cons*", "append!", "reverse!", "list-tabulate", "list-copy"])
define_scheme("(srfi-1)", """
(define (xcons a b) (cons b a))
(define (concatenate lists) (apply append lists))
(define (span pred lst) (values (take-while pred lst) (drop-while pred lst)))
(define (break pred lst) (span (lambda (x) (not (pred x))) lst))
(define (unfold stop? mapper successor seed . tail-gen)
  (let loop ((seed seed) (acc '()))
    (if (stop? seed)
        (append-reverse acc (if (pair? tail-gen) ((car tail-gen) seed) '()))
        (loop (successor seed) (cons (mapper seed) acc)))))
(define (append-reverse rev tail) (if (null? rev) tail (append-reverse (cdr rev) (cons (car rev) tail))))
(define (last-pair* l) (if (pair? (cdr l)) (last-pair* (cdr l)) l))
(define (alist-copy al) (map (lambda (p) (cons (car p) (cdr p))) al))
""")
define_scheme("(srfi-13)", r"""
(define (string-null? s) (= (string-length s) 0))
(define (string-index s pred . start)
  (let ((test (if (char? pred) (lambda (c) (char=? c pred)) pred)))
    (let loop ((i (if (pair? start) (car start) 0)))
      (cond ((>= i (string-length s)) #f)
            ((test (string-ref s i)) i)
            (else (loop (+ i 1)))))))
(define (string-prefix? p s)
  (and (<= (string-length p) (string-length s)) (string=? p (substring s 0 (string-length p)))))
(define (string-suffix? p s)
  (let ((lp (string-length p)) (ls (string-length s)))
    (and (<= lp ls) (string=? p (substring s (- ls lp) ls)))))
(define (string-join strs . rest)
  (let ((sep (if (pair? rest) (car rest) " ")))
    (if (null? strs) ""
        (let loop ((acc (car strs)) (l (cdr strs)))
          (if (null? l) acc (loop (string-append acc sep (car l)) (cdr l)))))))
(define (string-contains s pat)
  (let ((ls (string-length s)) (lp (string-length pat)))
    (let loop ((i 0))
      (cond ((> (+ i lp) ls) #f)
            ((string=? (substring s i (+ i lp)) pat) i)
            (else (loop (+ i 1)))))))
(define (%ws? c) (char-whitespace? c))
(define (string-trim s) (let loop ((i 0)) (if (and (< i (string-length s)) (%ws? (string-ref s i))) (loop (+ i 1)) (substring s i (string-length s)))))
(define (string-trim-right s) (let loop ((i (string-length s))) (if (and (> i 0) (%ws? (string-ref s (- i 1)))) (loop (- i 1)) (substring s 0 i))))
(define (string-trim-both s) (string-trim (string-trim-right s)))
(define (string-pad s n . c) (let ((l (string-length s)) (ch (if (pair? c) (car c) #\space)))
  (if (>= l n) (substring s (- l n) l) (string-append (make-string (- n l) ch) s))))
(define (string-pad-right s n . c) (let ((l (string-length s)) (ch (if (pair? c) (car c) #\space)))
  (if (>= l n) (substring s 0 n) (string-append s (make-string (- n l) ch)))))
(define (string-take s n) (substring s 0 n))
(define (string-drop s n) (substring s n (string-length s)))
(define (string-concatenate l) (apply string-append l))
(define (string-reverse s) (list->string (reverse (string->list s))))
""")


# ---------------------------------------------------------------- reader

_HEX = re.compile(r"[0-9a-fA-F]*")


def _read_blob(reader: Any) -> Blob:
    """#${hex}: a blob literal (the reader has consumed "#$")."""
    c = reader.read_char()
    if c != "{":
        from ..reader.parser import read_error
        raise read_error("bad blob literal: expected {", reader.location())
    digits: List[str] = []
    while True:
        c = reader.read_char()
        if c == "}":
            break
        if not c:
            from ..reader.parser import read_error
            raise read_error("unterminated blob literal", reader.location())
        if not c.isspace():
            digits.append(c)
    text = "".join(digits)
    if len(text) % 2 or not _HEX.fullmatch(text):
        from ..reader.parser import read_error
        raise read_error("bad hex digits in blob literal", reader.location())
    return Blob(bytearray.fromhex(text))


READER = ReaderOptions(keywords="suffix", script_header=True, square_brackets=True,
                       hash_dispatch={"$": _read_blob})


from . import detect_chicken as detect  # noqa: E402 - in the package index, so detection needs no import


from . import chicken_report  # noqa: E402 - the uncaught-error report

DIALECT = DialectSpec(
    "chicken",
    libraries=["(scheme base)", "(scheme char)", "(scheme cxr)", "(scheme lazy)",
               "(scheme inexact)", "(scheme complex)", "(scheme write)", "(scheme read)",
               "(scheme file)", "(scheme process-context)", "(scheme time)",
               "(scheme case-lambda)", "(scheme eval)", "(scheme repl)", "(srfi 18)", "(srfi 69)",
               "(polysock extras)", "(srfi-1)", "(srfi-13)", "(srfi 4)",
               "(chicken base)", "(chicken keyword)", "(chicken time)",
               "(chicken process-context)", "(chicken bitwise)", "(chicken format)",
               "(chicken io)", "(chicken port)", "(chicken file posix)", "(chicken file)",
               "(chicken blob)", "(chicken string)", "(chicken condition)", "(chicken tcp)",
               "(socket)", MODULE_LIB],
    reader=READER,
    detect=detect,
    setup=ck_reinstall,
    options={"optional_default": False},   # csi binds an omitted #!optional to #f
    report=chicken_report.report,
    description="CHICKEN 5 with the socket egg, (chicken tcp) and (chicken condition)",
)

__all__ = ["DIALECT", "MString"]
