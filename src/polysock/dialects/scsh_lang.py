"""scsh language helpers: ``define-record`` (``name:field`` accessors), ``let-optionals``,
``:optional``, the ``with-errno-handler`` syntax over scsh_host's errno view, and
Scheme48's bitwise operations and ``format``. Installed in ``(scsh)``/``(polysock scsh)``.
"""
from __future__ import annotations

from typing import Any, List

from ..reader.printer import display_string, write_string as write_repr
from ..runtime import ports as rports
from ..runtime.argtypes import A
from ..runtime.ports import Port
from ..runtime.registry import define_scheme
from ..values.conditions import throw, wrong_type
from ..values.misc import UNSPECIFIED
from ..values.strings import MString
from ._table import Entry, export, install
from .scsh_host import HOST_LIBS

# ---------------------------------------------------------------- bitwise, format

from ..runtime.bitwise import arithmetic_shift, bitwise_and, bitwise_ior, bitwise_not, bitwise_xor  # noqa: F401


_RADIX = {"b": 2, "o": 8, "x": 16}


def format_(dest: Any, control: MString, *args: Any) -> Any:
    """(format dest control-string arg ...) -> string (dest #f) or unspecified"""
    out: List[str] = []
    it = iter(args)
    t = control.s
    i = 0
    while i < len(t):
        c = t[i]
        if c != "~" or i + 1 == len(t):
            out.append(c)
            i += 1
            continue
        d = t[i + 1].lower()
        i += 2
        if d in "as":
            try:
                x = next(it)
            except StopIteration:
                throw("error", "format", "too few arguments for control string", control)
            out.append(display_string(x) if d == "a" else write_repr(x))
        elif d == "d" or d in _RADIX:
            try:
                x = next(it)
            except StopIteration:
                throw("error", "format", "too few arguments for control string", control)
            out.append(format(x, "b" if d == "b" else "o" if d == "o" else "x")
                       if d in _RADIX and x.__class__ is int else display_string(x))
        elif d == "%" or d == "n":
            out.append("\n")
        elif d == "~":
            out.append("~")
        else:
            throw("error", "format", f"unknown directive ~{d}", control)
    text = "".join(out)
    if dest is False:
        return MString(text)
    port = rports.current_output_port() if dest is True else dest
    if not (isinstance(port, Port) and port.output and port.textual):
        wrong_type("format", 1, "#f, #t or output port", dest)
    port.write_str(text)
    return UNSPECIFIED


I = A.exact_integer
S = A.string
ANY = A.any
EXPORTS: List[Entry] = [
    export("bitwise-and", bitwise_and, I),
    export("bitwise-ior", bitwise_ior, I),
    export("bitwise-or", bitwise_ior, I),
    export("bitwise-xor", bitwise_xor, I),
    export("bitwise-not", bitwise_not, I),
    export("arithmetic-shift", arithmetic_shift, I, I),
    export("format", format_, ANY, S),
]

BINDINGS = install(HOST_LIBS, EXPORTS)

# Syntax and Scheme-level helpers: define-record (name:field accessors), the scsh
# optional-argument helpers, and with-errno-handler over the errno view.
SCHEME_TEXT = r"""
(define (%define-record-field-name f) (if (pair? f) (car f) f))
(define (%define-record-expand name fields)
  (let* ((fields (let loop ((fs fields) (acc '()))     ; drop scsh record options ((disclose ...))
                   (cond ((null? fs) (reverse acc))
                         ((and (pair? (car fs)) (pair? (caar fs))) (loop (cdr fs) acc))
                         (else (loop (cdr fs) (cons (car fs) acc))))))
         (n (symbol->string name))
         (sym (lambda parts (string->symbol (apply string-append parts))))
         (names (map %define-record-field-name fields))
         (required (let loop ((fs fields) (acc '()))
                     (cond ((null? fs) (reverse acc))
                           ((pair? (car fs)) (loop (cdr fs) acc))
                           (else (loop (cdr fs) (cons (car fs) acc))))))
         (raw (if (= (length required) (length fields)) (sym "make-" n) (sym "%make-" n))))
    `(begin
       (define-record-type ,(sym ":" n)
         (,raw ,@names)
         ,(sym n "?")
         ,@(map (lambda (f)
                  (let ((fs (symbol->string f)))
                    (list f (sym n ":" fs) (sym "set-" n ":" fs "!"))))
                names))
       ,@(if (eq? raw (sym "make-" n))
             '()
             `((define (,(sym "make-" n) ,@required)
                 (,raw ,@(map (lambda (f) (if (pair? f) (cadr f) f)) fields))))))))

(define-macro (define-record name . fields) (%define-record-expand name fields))

(define (:optional rest default)
  (cond ((null? rest) default)
        ((null? (cdr rest)) (car rest))
        (else (error ":optional: too many optional arguments" rest))))

(define-syntax let-optionals*
  (syntax-rules ()
    ((_ args () body ...) (let () body ...))
    ((_ args ((var default) more ...) body ...)
     (let* ((tmp args)
            (var (if (null? tmp) default (car tmp))))
       (let-optionals* (if (null? tmp) '() (cdr tmp)) (more ...) body ...)))
    ((_ args (rest) body ...) (let ((rest args)) body ...))))

(define-syntax let-optionals
  (syntax-rules ()
    ((_ args specs body ...) (let-optionals* args specs body ...))))

(define-syntax %errno-clauses
  (syntax-rules (else)
    ((_ c err) (raise c))
    ((_ c err (else body ...)) (begin body ...))
    ((_ c err ((code ...) body ...) clause ...)
     (if (memv err (list code ...)) (begin body ...) (%errno-clauses c err clause ...)))))

(define-syntax with-errno-handler
  (syntax-rules ()
    ((_ ((err packet) clause ...) body ...)
     (guard (c ((errno-error? c)
                (let ((err (condition-errno c)) (packet (condition-errno-packet c)))
                  (%errno-clauses c err clause ...))))
       body ...))))
"""
for _lib in HOST_LIBS:
    define_scheme(_lib, SCHEME_TEXT)
