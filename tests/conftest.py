"""Collects tests/scheme/**/*.scm as pytest items (one per file).

A suite uses the vocabulary of tests/scheme/prelude.scm: (test [name] expected expr),
(test-assert [name] expr), (test-error [name] expr), (test-group name body ...).
The file runs in a fresh r7rs environment (or the dialect named in a first-line
comment ";; dialect: NAME"); every failing check is listed in the failure report.
"""
from __future__ import annotations

import os
import sys
from typing import Any, Iterator

import pytest

sys.setrecursionlimit(max(sys.getrecursionlimit(), 200000))
HERE = os.path.dirname(__file__)
PRELUDE = os.path.join(HERE, "scheme", "prelude.scm")


def pytest_collect_file(parent: Any, file_path: Any) -> Any:
    p = str(file_path)
    if p.endswith(".scm") and os.sep + "scheme" + os.sep in p and not p.endswith("prelude.scm") \
            and os.path.join(HERE, "scheme") in p:
        return SchemeFile.from_parent(parent, path=file_path)
    return None


class SchemeFile(pytest.File):
    def collect(self) -> Iterator["SchemeItem"]:
        yield SchemeItem.from_parent(self, name=os.path.basename(str(self.path)))


class SchemeFailure(Exception):
    pass


class SchemeItem(pytest.Item):
    def runtest(self) -> None:
        from polysock import toplevel as T
        from polysock.values.pairs import to_list
        text = open(self.path, encoding="utf-8").read()
        dialect = "r7rs"
        first = text.splitlines()[0] if text else ""
        if first.startswith(";; dialect:"):
            dialect = first.split(":", 1)[1].strip()
        env = T.make_environment(dialect)
        T.load_file(PRELUDE, env)
        try:
            T.eval_string(text, env, str(self.path))
        except BaseException as e:  # noqa: BLE001
            if isinstance(e, (KeyboardInterrupt, SystemExit)):
                raise
            raise SchemeFailure("uncaught error:\n" + T.format_error(T.error_payload(e), e.__traceback__))
        failures = to_list(env.namespace["%test-failures"]) or []
        count = env.namespace["%test-count"]
        if count == 0:
            raise SchemeFailure("suite ran no checks")
        if failures:
            from polysock.reader.printer import display_string
            lines = [display_string(f) for f in reversed(failures)]
            raise SchemeFailure(f"{len(failures)} of {count} checks failed:\n" + "\n".join(lines))

    def repr_failure(self, excinfo: Any, style: Any = None) -> str:
        if isinstance(excinfo.value, SchemeFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self) -> Any:
        return self.path, 0, f"scheme: {self.name}"
