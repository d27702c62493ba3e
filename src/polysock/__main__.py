"""python -m polysock"""
from .cli import main

raise SystemExit(main())
