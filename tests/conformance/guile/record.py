#!/usr/bin/env python3
"""Re-record the .expected transcripts of this corpus from real Guile 3 (and show how
polysock compares). Usage: python tests/conformance/guile/record.py [--check]

Each NN_name.scm runs alone; an NN_server.scm / NN_client.scm pair runs together
(server first). --check records nothing: it only compares polysock with Guile."""
from __future__ import annotations

import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from test_guile import GUILE_CMD, POLYSOCK_CMD, programs, run_program  # noqa: E402


def main() -> int:
    if shutil.which("guile") is None:
        print("guile is not installed (apt-get install guile-3.0)")
        return 2
    check = "--check" in sys.argv
    bad = 0
    for prog in programs():
        real = run_program(GUILE_CMD, prog)
        ours = run_program(POLYSOCK_CMD, prog)
        for name, text in real.items():
            same = ours.get(name) == text
            bad += not same
            print(("same " if same else "DIFF ") + name)
            if not check:
                with open(os.path.join(HERE, name[:-4] + ".expected"), "w", encoding="utf-8") as f:
                    f.write(text)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
