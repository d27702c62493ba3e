"""python -m bench: run the benchmarks side by side."""

from bench.runner import main

raise SystemExit(main())
