"""The data model: every Scheme value's Python representation. Imports nothing else from polysock.

Representation (the contract every layer relies on):

=================  ==========================================================
Scheme             Python
=================  ==========================================================
#t / #f            True / False (the only false value is False)
exact integer      int (never bool)
exact rational     values.numbers.Rational (a Fraction that is never integral)
inexact real       float;  inexact complex: complex
exact complex      values.numbers.ExactComplex (exact parts, never a zero imaginary part)
character          str of length 1
string             MString (mutable; ``.s`` holds a Python str)
symbol             Symbol (interned; ``.name``)
pair / ()          Pair / NIL
vector             list
bytevector         bytearray
procedure          any Python callable that is not a Scheme data object;
                   Scheme lambdas are plain Python functions
multiple values    MultipleValues (only when the count is not 1)
unspecified        UNSPECIFIED;  eof: EOF;  #!default: DEFAULT
=================  ==========================================================

Python tuples are never Scheme values: a tuple returned from a compiled body is a
tail call (see values.procedures).
"""
