"""(scheme process-context) and (scheme time)."""
from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from polysock.runtime import system
from polysock.runtime.registry import LIBRARIES
from polysock.values.conditions import SchemeError, SchemeExit
from polysock.values.pairs import NIL, Pair
from polysock.values.strings import MString

PC = LIBRARIES["(scheme process-context)"]
TM = LIBRARIES["(scheme time)"]


def py_list(x):
    out = []
    while x is not NIL:
        out.append(x.car)
        x = x.cdr
    return out


@pytest.mark.parametrize("arg,code", [((), 0), ((True,), 0), ((False,), 1), ((3,), 3),
                                      ((0,), 0), ((7.0,), 7), ((MString("x"),), 1)])
def test_exit_codes(arg, code) -> None:
    with pytest.raises(SchemeExit) as e:
        PC["exit"](*arg)
    assert e.value.code == code


def test_exit_is_not_an_error() -> None:
    with pytest.raises(SchemeExit):
        try:
            PC["exit"](2)
        except Exception:            # SchemeExit must pass through error handlers
            pytest.fail("exit was caught as an Exception")


def test_command_line(monkeypatch) -> None:
    monkeypatch.setattr(system, "COMMAND_LINE", ["prog.scm", "a", "b c"])
    cl = PC["command-line"]()
    items = py_list(cl)
    assert [x.s for x in items] == ["prog.scm", "a", "b c"]
    assert all(isinstance(x, MString) for x in items)
    assert PC["command-line"]() is not cl            # fresh each time
    assert py_list(PC["command-line"]())[0] is not items[0]


def test_environment(monkeypatch) -> None:
    monkeypatch.setenv("POLYSOCK_TEST_VAR", "v=1")
    assert PC["get-environment-variable"](MString("POLYSOCK_TEST_VAR")).s == "v=1"
    monkeypatch.delenv("POLYSOCK_TEST_VAR")
    assert PC["get-environment-variable"](MString("POLYSOCK_TEST_VAR")) is False
    monkeypatch.setenv("POLYSOCK_TEST_VAR2", "x")
    alist = py_list(PC["get-environment-variables"]())
    assert all(isinstance(p, Pair) and isinstance(p.car, MString) for p in alist)
    assert ("POLYSOCK_TEST_VAR2", "x") in [(p.car.s, p.cdr.s) for p in alist]
    with pytest.raises(SchemeError) as e:
        PC["get-environment-variable"](42)
    assert e.value.payload.kind == "wrong-type"


def test_emergency_exit_skips_flushing() -> None:
    code = ("from polysock.runtime import ports, system\n"
            "ports.STDOUT.write_str('buffered')\n"
            "system.emergency_exit(5)\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60)
    assert r.returncode == 5
    assert b"buffered" not in r.stdout


def test_time() -> None:
    s = TM["current-second"]()
    assert isinstance(s, float) and abs(s - time.time()) < 5
    j1 = TM["current-jiffy"]()
    time.sleep(0.01)
    j2 = TM["current-jiffy"]()
    assert isinstance(j1, int) and 5000 <= j2 - j1 < 5_000_000
    assert TM["jiffies-per-second"]() == 1000000
