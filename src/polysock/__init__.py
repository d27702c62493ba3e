"""polysock: a Scheme for network programming on CPython."""
__version__ = "0.1.0"
