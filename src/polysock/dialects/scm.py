"""SCM sockets (seed 004, spec/scm.md) as a table over the net core.

Theory of operation
-------------------
An SCM socket *is* a port whose mode changes (``ScmSocket``): fresh from
``make-stream-socket`` it is open for neither reading nor writing, ``socket:listen``
makes it an input port (``char-ready?`` = a connection is pending), and
``socket:connect`` / ``socket:accept`` / ``make-stream-socketpair`` give read/write
ports. The object never changes identity (the chat server keeps sockets in lists and
finds them with ``memq``): when it becomes connected, an unbuffered Latin-1
bidirectional socket port is made over the same CoreSocket, each half made on its
first use, and each I/O method is bound on the ScmSocket the first time it is looked
up (``__getattr__``, and ``_bind`` in the few methods this class defines itself), so
``read-char`` and ``display`` reach the socket without an extra call.
``input``/``output`` follow the state, so ``input-port?`` and the argument checks of
every port procedure agree with SCM.

Failure model (conditions.md §5): connect, bind, listen, shutdown, accept,
getsockname, getpeername, inet:string->address and the database lookups return #f
on an OS/resolver failure and set ``errno``; wrong argument types and socket creation
failures signal errors.
"""
from __future__ import annotations

import re
import weakref
from typing import Any, Dict, List, Optional, Tuple

from ..net import ports as netports
from ..net import resolve
from ..net.address import SockAddr, check_port, int_to_ipv4, ipv4_to_int, unix
from ..net.address import inet as inet_addr
from ..net.constants import CONSTANTS
from ..net.sockets import CoreSocket
from ..reader.parser import ReaderOptions
from ..runtime.argtypes import A
from ..runtime.ports import INPUT_METHODS, OUTPUT_METHODS, Port
from ..values.conditions import SchemeError, throw, wrong_type
from ..values.misc import UNSPECIFIED
from ..values.pairs import Pair, cons
from ..values.strings import MString
from . import scm_host
from ._spec import DialectSpec
from ._table import Entry, const, export, install, scheme_list

LIB = "(scm socket)"
ALSO = "(polysock scm)"
AF_INET = CONSTANTS["AF_INET"]
AF_UNIX = CONSTANTS.get("AF_UNIX", 1)
SOCK_STREAM = CONSTANTS["SOCK_STREAM"]
ENCODING = "latin-1"


# ---------------------------------------------------------------- the socket port

class ScmSocket(Port):
    """A socket port whose read/write capability follows its state (module docstring)."""

    def __init__(self, sock: CoreSocket, state: str = "fresh") -> None:
        super().__init__(f"socket {sock.fd}", False, False, True, False)
        self.sock = sock
        self.state = state
        self.bp: Any = None
        sock.owner = weakref.ref(self)   # weak: no cycle, freed at close
        if state == "connected":
            self.become_connected()

    # -- state changes
    def become_connected(self) -> None:
        self.bp = netports.bidirectional_port(self.sock, textual=True, encoding=ENCODING,
                                              buffering="none", on_close="close")
        self.state = "connected"
        self.input = self.output = True

    def _bind(self, name: str) -> Any:
        """The connected socket's port method *name*, bound on this object (as
        BidirectionalPort does) so the next call reaches it directly."""
        f = self.__dict__[name] = getattr(self.bp, name)
        return f

    def become_listening(self) -> None:
        self.state = "listening"
        self.input, self.output = True, False

    # -- listening sockets as input ports (a connected one builds its halves)
    def char_ready(self) -> bool:
        """A listening socket is ready when a connection is pending."""
        if self.state == "connected":
            return self._bind("char_ready")()
        if self.closed:
            self._closed_error("char-ready?")
        return self.sock.ready()

    def read_char(self) -> Any:
        if self.state == "connected":
            return self._bind("read_char")()
        wrong_type("read-char", 1, "connected socket", self)

    def peek_char(self) -> Any:
        if self.state == "connected":
            return self._bind("peek_char")()
        wrong_type("read-char", 1, "connected socket", self)

    def write_str(self, s: str) -> None:
        # Defined, not found by __getattr__: that lookup first fails inside CPython, which
        # formats an AttributeError; a server's first write on each connection paid it.
        if self.state == "connected" and self.bp is not None:
            return self._bind("write_str")(s)   # type: ignore[no-any-return]
        if self.closed:
            self._closed_error("write")
        wrong_type("write", 2, "connected socket", self)

    def pending_input(self) -> int:
        bp = self.bp
        if bp is not None and bp.built("in_port"):
            return self._bind("pending_input")()
        return 0

    # -- port protocol
    def close(self) -> None:
        if self.bp is not None:
            self.bp.close()
        self.sock.close()
        self.closed = True
        self.input = self.output = False

    def close_input(self) -> None:
        self.shutdown_side(0)

    def close_output(self) -> None:
        self.shutdown_side(1)

    def shutdown_side(self, how: int) -> None:
        """Drop the capabilities *how* removes (0 input, 1 output, 2 both)."""
        if how in (0, 2):
            self.input = False
        if how in (1, 2):
            self.output = False
        if not (self.input or self.output) and self.state != "connected":
            self.close()

    def input_open(self) -> bool:
        return self.input and not self.closed

    def output_open(self) -> bool:
        return self.output and not self.closed

    def flush(self) -> None:
        if self.bp is not None and self.output and self.bp.built("out_port"):
            self.bp.out_port.flush()

    def fileno(self) -> Optional[int]:
        return None if self.sock.closed else self.sock.fd

    def setvbuf(self, buffering: Any, size: Any = None) -> None:
        if self.bp is not None:
            self.bp.setvbuf(buffering, size)

    def kind_name(self) -> str:
        if self.closed:
            return "closed-port"
        return "input-output-port" if self.input and self.output else \
            "input-port" if self.input else "output-port" if self.output else "port"

    def __repr__(self) -> str:
        return f"#<{self.kind_name()} {self.sock.fd}>"


class _Forward:
    """A port method ScmSocket does not define itself (read_line, write...): the
    connected socket's port has it, and ``_bind`` puts it on the instance, whose dict
    then shadows this descriptor. Before the socket is connected it does not exist.
    (A class-level ``__getattr__`` did this, but its mere presence sent every
    attribute lookup on the socket through a slower hook.)"""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __get__(self, obj: Any, cls: Any = None) -> Any:
        if obj is None:
            return self
        d = obj.__dict__
        if d.get("state") != "connected" or d.get("bp") is None:
            raise AttributeError(self.name)
        return obj._bind(self.name)


for _m in (*INPUT_METHODS, *OUTPUT_METHODS, "in_port", "out_port"):
    if not hasattr(ScmSocket, _m):
        setattr(ScmSocket, _m, _Forward(_m))


A.define("scm_socket", "socket", pred=lambda x: isinstance(x, ScmSocket) and not x.closed)


class SocketName:
    """A socket name (a copy of a struct sockaddr)."""

    __slots__ = ("addr",)

    def __init__(self, addr: SockAddr) -> None:
        self.addr = addr

    def __repr__(self) -> str:
        a = self.addr
        if a.family == AF_INET:
            return f"#<inet-addr {a.host}:{a.port}>"
        path = a.path if isinstance(a.path, str) else bytes(a.path).decode("latin-1")
        return f"#<unix-addr {path}>"


A.define("socket_name", "socket-name", pred=lambda x: isinstance(x, SocketName))


def _fail(e: SchemeError) -> bool:
    """Record errno of a failure that SCM reports as #f; re-raise argument errors."""
    c = e.payload
    kind = getattr(c, "kind", None)
    if kind in ("wrong-type", "arity"):
        raise e
    scm_host.set_errno(getattr(c, "data", {}).get("errno") or 0)
    return False


# ---------------------------------------------------------------- sockets

def make_stream_socket(family: int, protocol: int = 0) -> ScmSocket:
    """(make-stream-socket family [protocol]) -> socket (neither readable nor writable)"""
    s = CoreSocket.open(family, SOCK_STREAM, protocol, "make-stream-socket")
    if family == AF_INET:
        s.set_option("SO_REUSEADDR", True, "make-stream-socket")
    return ScmSocket(s)


def make_stream_socketpair(family: int, protocol: int = 0) -> Pair:
    """(make-stream-socketpair family [protocol]) -> (port1 . port2)"""
    a, b = CoreSocket.pair(family, SOCK_STREAM, protocol, "make-stream-socketpair")
    return cons(ScmSocket(a, "connected"), ScmSocket(b, "connected"))


def socket_shutdown(sock: ScmSocket, how: int) -> Any:
    """(socket:shutdown socket how) -> socket or #f"""
    if how not in (0, 1, 2):
        wrong_type("socket:shutdown", 2, "0, 1 or 2", how)
    try:
        sock.sock.shutdown(how, "socket:shutdown")
    except SchemeError as e:
        return _fail(e)
    sock.shutdown_side(how)
    return sock


def _inet_args(who: str, sock: ScmSocket, args: Tuple[Any, ...], n: int) -> None:
    if sock.sock.family == AF_INET and len(args) != n:
        throw("arity", who, f"wrong number of arguments for an af_inet socket: {len(args)}")
    if sock.sock.family == AF_UNIX and len(args) != 1:
        throw("arity", who, f"wrong number of arguments for an af_unix socket: {len(args)}")
    if sock.sock.family not in (AF_INET, AF_UNIX):
        wrong_type(who, 1, "af_inet or af_unix socket", sock)


def _unix_path(who: str, path: Any) -> Any:
    if not isinstance(path, MString):
        wrong_type(who, 2, "pathname", path)
    return unix(path.s, who)


def socket_connect(sock: ScmSocket, *args: Any) -> Any:
    """(socket:connect inet-socket host-number port-number) or (socket:connect unix-socket pathname) -> socket or #f"""
    _inet_args("socket:connect", sock, args, 2)
    if sock.sock.family == AF_INET:
        host, port = args
        if host.__class__ is not int:
            wrong_type("socket:connect", 2, "host number", host)
        if port.__class__ is not int:
            wrong_type("socket:connect", 3, "port number", port)
        try:
            # int_to_ipv4's text is canonical: no inet() round trip through the parser
            addr = SockAddr(AF_INET, int_to_ipv4("socket:connect", host), check_port("socket:connect", port))
        except SchemeError as e:
            return _fail(e)
    else:
        addr = _unix_path("socket:connect", args[0])
    try:
        sock.sock.connect(addr, "socket:connect")
    except SchemeError as e:
        return _fail(e)
    sock.become_connected()
    return sock


def socket_bind(sock: ScmSocket, where: Any) -> Any:
    """(socket:bind inet-socket port-number) or (socket:bind unix-socket pathname) -> socket or #f"""
    if sock.sock.family == AF_INET:
        if where.__class__ is not int:
            wrong_type("socket:bind", 2, "port number", where)
        try:
            addr = inet_addr("0.0.0.0", where, "socket:bind")
        except SchemeError as e:
            return _fail(e)
    else:
        addr = _unix_path("socket:bind", where)
    try:
        sock.sock.bind(addr, "socket:bind")
    except SchemeError as e:
        return _fail(e)
    return sock


def socket_listen(sock: ScmSocket, backlog: int) -> Any:
    """(socket:listen socket backlog) -> socket (now an input port) or #f"""
    try:
        sock.sock.listen(backlog, "socket:listen")
    except SchemeError as e:
        return _fail(e)
    sock.become_listening()
    return sock


def socket_accept(sock: ScmSocket) -> Any:
    """(socket:accept socket) -> I/O port for the connection, or #f"""
    if sock.state != "listening" or not sock.input:
        wrong_type("socket:accept", 1, "listening socket", sock)
    try:
        conn, _ = sock.sock.accept("socket:accept")
    except SchemeError as e:
        return _fail(e)
    return ScmSocket(conn, "connected")


# ---------------------------------------------------------------- names and addresses

def _name(sock: ScmSocket, peer: bool) -> Any:
    who = "getpeername" if peer else "getsockname"
    try:
        a = sock.sock.getpeername(who) if peer else sock.sock.getsockname(who)
    except SchemeError as e:
        return _fail(e)
    return False if a is None else SocketName(a)


def getsockname(sock: ScmSocket) -> Any:
    """(getsockname socket) -> socket-name or #f"""
    return _name(sock, False)


def getpeername(sock: ScmSocket) -> Any:
    """(getpeername socket) -> socket-name or #f"""
    return _name(sock, True)


def socket_name_family(n: SocketName) -> int:
    """(socket-name:family socket-name) -> af_inet or af_unix"""
    return n.addr.family


def socket_name_port_number(n: SocketName) -> int:
    """(socket-name:port-number socket-name) -> port"""
    if n.addr.family != AF_INET:
        wrong_type("socket-name:port-number", 1, "internet socket-name", n)
    return n.addr.port


def socket_name_address(n: SocketName) -> Any:
    """(socket-name:address socket-name) -> integer address (internet) or path string (unix)"""
    a = n.addr
    if a.family == AF_INET:
        return ipv4_to_int("socket-name:address", a.host)
    p = a.path
    return MString(p if isinstance(p, str) else bytes(p).decode("latin-1"))


def inet_string_to_address(text: MString) -> Any:
    """(inet:string->address string) -> integer address or #f"""
    try:
        infos = resolve.getaddrinfo(text.s, None, AF_INET, SOCK_STREAM, 0, 0, who="inet:string->address")
        return ipv4_to_int("inet:string->address", infos[0].addr.host)
    except SchemeError as e:
        return _fail(e)


def _u32(who: str, n: Any) -> int:
    if n.__class__ is not int or not 0 <= n <= 0xFFFFFFFF:
        wrong_type(who, 1, "internet address", n)
    return int(n)


def inet_address_to_string(n: int) -> MString:
    """(inet:address->string address) -> dotted-quad string"""
    return MString(int_to_ipv4("inet:address->string", _u32("inet:address->string", n)))


def inet_network(n: int) -> int:
    """(inet:network address) -> classful network number"""
    i = _u32("inet:network", n)
    if not i & 0x80000000:
        return (i & 0xFF000000) >> 24
    if i & 0xC0000000 == 0x80000000:
        return (i & 0xFFFF0000) >> 16
    return (i & 0xFFFFFF00) >> 8


def inet_local_network_address(n: int) -> int:
    """(inet:local-network-address address) -> classful host part"""
    i = _u32("inet:local-network-address", n)
    if not i & 0x80000000:
        return i & 0x00FFFFFF
    if i & 0xC0000000 == 0x80000000:
        return i & 0xFFFF
    return i & 0xFF


def inet_make_address(net: int, local: int) -> int:
    """(inet:make-address network local-address) -> integer address"""
    _u32("inet:make-address", net)
    _u32("inet:make-address", local)
    if net < 128:
        return ((net << 24) | (local & 0x00FFFFFF)) & 0xFFFFFFFF
    if net < 65536:
        return ((net << 16) | (local & 0xFFFF)) & 0xFFFFFFFF
    if net < 16777216:
        return ((net << 8) | (local & 0xFF)) & 0xFFFFFFFF
    return (net | local) & 0xFFFFFFFF


# ---------------------------------------------------------------- databases

CURSORS: Dict[str, int] = {"hosts": 0, "networks": 0, "protocols": 0, "services": 0}


def _strings(xs: List[str]) -> Any:
    return scheme_list(MString(x) for x in xs)


def _host_vector(e: Any) -> Any:
    addrs = [ipv4_to_int("gethost", a) for a in e.addresses if ":" not in a]
    return [MString(e.name), _strings(e.aliases), AF_INET, 4, scheme_list(addrs)]


def _next(db: str, keep: Any = None) -> Any:
    """The next entry of *db* (optionally only those *keep* accepts), or None at the end."""
    items = resolve.entries(db)
    while CURSORS[db] < len(items):
        e = items[CURSORS[db]]
        CURSORS[db] += 1
        if keep is None or keep(e):
            return e
    return None


def _lookup(fn: Any, *args: Any) -> Any:
    try:
        return fn(*args)
    except SchemeError as e:
        return _fail(e)


def gethost(spec: Any = None) -> Any:
    """(gethost [host-name-or-address]) -> #(name aliases addrtype length addresses) or #f"""
    if spec is None:
        e = _next("hosts", lambda h: h.addrtype == AF_INET)
        return False if e is None else _host_vector(e)
    if isinstance(spec, MString):
        e = _lookup(resolve.gethostbyname, spec.s, "gethost")
    elif spec.__class__ is int:
        e = _lookup(lambda: resolve.gethostbyaddr(int_to_ipv4("gethost", _u32("gethost", spec)), "gethost"))
    else:
        wrong_type("gethost", 1, "host name or address", spec)
    return False if e is False else _host_vector(e)


def getnet(spec: Any = None) -> Any:
    """(getnet [name-or-number]) -> #(name aliases addrtype net) or #f"""
    if spec is None:
        e = _next("networks")
    elif isinstance(spec, MString):
        e = _lookup(resolve.getnetbyname, spec.s, "getnet")
    elif spec.__class__ is int:
        e = _lookup(resolve.getnetbyaddr, spec, AF_INET, "getnet")
    else:
        wrong_type("getnet", 1, "network name or number", spec)
    if e is None or e is False:
        return False
    return [MString(e.name), _strings(e.aliases), e.addrtype, e.net]


def getproto(spec: Any = None) -> Any:
    """(getproto [name-or-number]) -> #(name aliases number) or #f"""
    if spec is None:
        e = _next("protocols")
    elif isinstance(spec, MString):
        e = _lookup(resolve.getprotobyname, spec.s, "getproto")
    elif spec.__class__ is int:
        e = _lookup(resolve.getprotobynumber, spec, "getproto")
    else:
        wrong_type("getproto", 1, "protocol name or number", spec)
    if e is None or e is False:
        return False
    return [MString(e.name), _strings(e.aliases), e.number]


def getserv(*args: Any) -> Any:
    """(getserv [name-or-port protocol]) -> #(name aliases port protocol) or #f"""
    if not args:
        e = _next("services")
    elif len(args) != 2:
        throw("arity", "getserv", f"wrong number of arguments: expected 0 or 2, got {len(args)}")
    else:
        spec, proto = args
        if not isinstance(proto, MString):
            wrong_type("getserv", 2, "protocol string", proto)
        if isinstance(spec, MString):
            e = _lookup(resolve.getservbyname, spec.s, proto.s, "getserv")
        elif spec.__class__ is int:
            e = _lookup(resolve.getservbyport, spec, proto.s, "getserv")
        else:
            wrong_type("getserv", 1, "service name or port number", spec)
    if e is None or e is False:
        return False
    return [MString(e.name), _strings(e.aliases), e.port, MString(e.proto)]


def _rewinder(db: str, name: str) -> Any:
    def setent(stay_open: Any = None) -> Any:
        CURSORS[db] = 0
        return UNSPECIFIED
    setent.__doc__ = f"({name} [stay-open]): with an argument rewind the table, without close it"
    return setent


sethostent = _rewinder("hosts", "sethostent")
setnetent = _rewinder("networks", "setnetent")
setprotoent = _rewinder("protocols", "setprotoent")
setservent = _rewinder("services", "setservent")


# ---------------------------------------------------------------- table

I = A.exact_integer
EXPORTS: List[Entry] = [
    export("make-stream-socket", make_stream_socket, I, I),
    export("make-stream-socketpair", make_stream_socketpair, I, I),
    export("socket:shutdown", socket_shutdown, A.scm_socket, I),
    export("socket:connect", socket_connect, A.scm_socket, A.any),
    export("socket:bind", socket_bind, A.scm_socket, A.any),
    export("socket:listen", socket_listen, A.scm_socket, A.index),
    export("socket:accept", socket_accept, A.scm_socket),
    export("getsockname", getsockname, A.scm_socket),
    export("getpeername", getpeername, A.scm_socket),
    export("socket-name:family", socket_name_family, A.socket_name),
    export("socket-name:port-number", socket_name_port_number, A.socket_name),
    export("socket-name:address", socket_name_address, A.socket_name),
    export("inet:string->address", inet_string_to_address, A.string),
    export("inet:address->string", inet_address_to_string, A.any),
    export("inet:network", inet_network, A.any),
    export("inet:local-network-address", inet_local_network_address, A.any),
    export("inet:make-address", inet_make_address, A.any, A.any),
    export("gethost", gethost, A.any),
    export("getnet", getnet, A.any),
    export("getproto", getproto, A.any),
    export("getserv", getserv, A.any),
    export("sethostent", sethostent, A.any),
    export("setnetent", setnetent, A.any),
    export("setprotoent", setprotoent, A.any),
    export("setservent", setservent, A.any),
    const("af_inet", "AF_INET"),
    const("af_unix", "AF_UNIX"),
]

BINDINGS = install((LIB, ALSO), EXPORTS)


def _register_printers() -> None:
    from ..reader import printer
    printer.PRINTERS[ScmSocket] = lambda x, write: repr(x)
    printer.PRINTERS[SocketName] = lambda x, write: repr(x)


_register_printers()
scm_host.SOCKET_CLASS = ScmSocket

SCM_LIBRARIES = ["(scheme base)", "(scheme char)", "(scheme cxr)", "(scheme lazy)", "(scheme inexact)",
                 "(scheme complex)", "(scheme write)", "(scheme read)", "(scheme file)",
                 "(scheme process-context)", "(scheme time)", "(scheme case-lambda)", "(scheme eval)",
                 "(scheme repl)", "(polysock extras)", scm_host.LIB, LIB]

from . import detect_scm as detect  # noqa: E402 - in the package index, so detection needs no import


from . import scm_report  # noqa: E402 - the uncaught-error report

DIALECT = DialectSpec(
    "scm", libraries=SCM_LIBRARIES,
    reader=ReaderOptions(fold_case=True, script_header=True),
    detect=detect,
    setup=scm_host.setup,
    report=scm_report.report,
    description="SCM: socket ports (make-stream-socket, socket:connect ...), require, wait-for-input")

