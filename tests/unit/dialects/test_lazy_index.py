"""Dialects load lazily: the index in polysock.dialects names them, detects them and
knows which module registers each library, and a program loads only what it needs.

Each case runs in a fresh interpreter (sys.modules shows what was imported)."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from polysock import dialects


def _py(code: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], input=stdin, capture_output=True,
                          text=True, timeout=120)


def _loaded_after(argv: list) -> tuple:
    """(status, stdout, dialect modules imported) after cli.main(argv) in a fresh process."""
    r = _py(f"""
        import json, sys
        from polysock.cli import main
        status = main({argv!r})
        sys.stdout.flush()
        mods = sorted(m.rsplit(".", 1)[1] for m in sys.modules if m.startswith("polysock.dialects."))
        print("\\n" + json.dumps([status, mods]))
        """)
    assert r.returncode == 0, r.stderr
    out, _, last = r.stdout.rstrip("\n").rpartition("\n")
    status, mods = json.loads(last)
    return status, out, set(mods)


def test_r7rs_eval_imports_no_dialect():
    status, out, mods = _loaded_after(["-e", "(display (+ 1 2))"])
    assert (status, out) == (0, "3")
    assert mods.isdisjoint(dialects.MODULES.values()), mods
    assert not any(m.startswith(tuple(dialects.MODULES)) for m in mods), mods


def test_chicken_program_without_dialect_flag_finds_chicken(tmp_path):
    p = tmp_path / "prog.scm"
    p.write_text("(import (chicken tcp) (chicken format))\n(printf \"~a ~a~%\" (tcp-listener? 1) 'ok)\n")
    status, out, mods = _loaded_after([str(p)])
    assert (status, out) == (0, "#f ok\n")
    assert "chicken" in mods
    assert mods.isdisjoint({"guile", "mit", "scm", "scsh"}), mods


def test_dialect_flag_loads_only_that_dialect():
    status, out, mods = _loaded_after(["--dialect", "guile", "-e", "(display (list 1 2))"])
    assert (status, out) == (0, "(1 2)")
    assert "guile" in mods and mods.isdisjoint({"chicken", "mit", "scm", "scsh"}), mods


def test_import_of_a_dialect_library_loads_it_on_demand():
    status, out, mods = _loaded_after(["-e", "(import (scheme base) (ice-9 rdelim))",
                                       "-e", "(display (procedure? read-line))"])
    assert (status, out) == (0, "#t")
    assert "guile" in mods and "chicken" not in mods, mods


def test_unknown_library_is_still_an_error():
    r = subprocess.run([sys.executable, "-m", "polysock", "-e", "(import (no such library))"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode != 0
    assert "no such library" in r.stderr and "Traceback" not in r.stderr


def test_embedding_environment_loads_its_dialect():
    r = _py("""
        import sys, polysock
        env = polysock.environment("scm")
        print(polysock.eval("(+ 1 2)", env))
        print(sorted(m.rsplit(".", 1)[-1] for m in sys.modules
                     if m.startswith("polysock.dialects.") and m.rsplit(".", 1)[-1] in ("chicken", "guile", "mit", "scm", "scsh")))
        """)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split("\n")[:2] == ["3", "['scm']"]


def test_index_matches_what_the_modules_register():
    """Every library a dialect module registers is indexed to that module; every dialect
    module is in MODULES; the dialect's own detect is the index's."""
    r = _py("""
        import importlib, json, pkgutil
        import polysock.toplevel as T
        from polysock import dialects
        from polysock.runtime import registry
        homes, specs = {}, {}
        for m in pkgutil.iter_modules(dialects.__path__):
            if m.name.startswith("_"):
                continue
            before = set(registry.LIBRARIES)
            mod = importlib.import_module("polysock.dialects." + m.name)
            for key in set(registry.LIBRARIES) - before:
                homes[key] = m.name
            spec = getattr(mod, "DIALECT", None)
            if spec is not None:
                specs[spec.name] = [m.name, getattr(spec.detect, "__name__", None)]
        print(json.dumps([homes, specs]))
        """)
    assert r.returncode == 0, r.stderr
    homes, specs = json.loads(r.stdout)
    assert homes, "no dialect library registered at all?"
    for key, module in homes.items():
        if module in dialects.ALWAYS:
            continue
        assert dialects.library_home(key) == module, key
    assert {name: m for name, (m, _) in specs.items()} == dialects.MODULES
    detectors = dict(dialects.DETECT)
    for name, (_, detect_name) in specs.items():
        if name in detectors:
            assert detect_name == detectors[name].__name__, name


def test_detection_without_loading():
    assert dialects.detect("(import socket)\n(print 1)") == "chicken"
    assert dialects.detect("(use-modules (ice-9 rdelim))") == "guile"
    assert dialects.detect("(require 'socket)") == "scm"
    assert dialects.detect("#!/usr/local/bin/scsh -s\n!#\n") == "scsh"
    assert dialects.detect("(import (scheme base))") is None
    assert dialects.library_home("(chicken tcp)") == "chicken"
    assert dialects.library_home("(polysock chicken-core)") == "chicken"
    assert dialects.library_home("(scheme base)") is None
    assert dialects.library_home("(scsh)") == "scsh"


def test_a_dialect_that_fails_to_import_is_reported_not_a_traceback(tmp_path):
    p = tmp_path / "prog.scm"
    p.write_text("(require 'socket)\n(display 1)\n")
    r = _py(f"""
        import sys
        import polysock

        class Boom:
            @classmethod
            def find_spec(cls, name, path=None, target=None):
                if name == "polysock.dialects.scm":
                    raise ImportError("simulated breakage")

        sys.meta_path.insert(0, Boom)
        from polysock.cli import main
        print(main([{str(p)!r}]), main(["--dialect", "scm", "-e", "1"]), main(["-e", "(display 5)"]))
        """)
    assert r.returncode == 0, r.stderr
    assert r.stdout.endswith("2 2 0\n"), r.stdout
    assert r.stderr.count("polysock: dialect scm failed to load: ImportError: simulated breakage") == 2
    assert "Traceback" not in r.stderr
