import socket

import pytest

from polysock.net import options as O
from polysock.net.sockets import CoreSocket
from tests.fakes.helpers import condition_of


def test_table_levels_and_codecs():
    o = O.lookup("setsockopt", "SO_REUSEADDR")
    assert (o.level, o.optname, o.codec.name) == (socket.SOL_SOCKET, socket.SO_REUSEADDR, "bool")
    assert O.lookup("x", "TCP_NODELAY").level == socket.IPPROTO_TCP
    assert O.lookup("x", "IPV6_V6ONLY").level == socket.IPPROTO_IPV6
    assert O.lookup("x", "IP_TTL").level == socket.IPPROTO_IP
    assert O.lookup("x", "SO_LINGER").codec.name == "linger"
    assert O.lookup("x", "SO_RCVTIMEO").codec.name == "timeval"
    assert O.lookup("x", "SO_TYPE").readonly
    assert O.by_number(socket.SOL_SOCKET, socket.SO_KEEPALIVE).name == "SO_KEEPALIVE"
    assert O.by_number(9999, 9999).codec.name == "int"


def test_unknown_option_is_unsupported():
    c = condition_of(lambda: O.lookup("set-socket-option", "SO_MARTIAN"))
    assert c.kind == "unsupported" and c.data["option"] == "SO_MARTIAN"


def test_codecs_roundtrip_without_sockets():
    lin = O.CODECS["linger"]
    assert lin.decode(lin.encode("x", (True, 5))) == (True, 5)
    assert lin.decode(lin.encode("x", None)) == (False, 0)
    assert lin.decode(lin.encode("x", 7)) == (True, 7)
    tv = O.CODECS["timeval"]
    assert tv.decode(tv.encode("x", 1.25)) == 1.25
    assert O.CODECS["bool"].encode("x", True) == 1
    assert O.CODECS["bytes"].encode("x", "lo") == b"lo"


@pytest.mark.parametrize("codec,value,kind", [
    ("bool", "yes", "wrong-type"), ("int", 1.5, "wrong-type"), ("int", 2 ** 40, "range"),
    ("linger", (True, -1), "range"), ("linger", "x", "wrong-type"),
    ("timeval", -1, "range"), ("timeval", "1", "wrong-type"), ("bytes", 3, "wrong-type"),
])
def test_codec_rejects(codec, value, kind):
    assert condition_of(lambda: O.CODECS[codec].encode("setsockopt", value)).kind == kind


def test_on_a_real_socket(no_leaks):
    s = CoreSocket.open(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.set_option("SO_REUSEADDR", True)
        assert s.get_option("SO_REUSEADDR") is True
        s.set_option("SO_LINGER", (True, 3))
        assert s.get_option("SO_LINGER") == (True, 3)
        s.set_option("SO_RCVTIMEO", 0.5)
        assert s.get_option("SO_RCVTIMEO") == 0.5 and s.timeouts["recv"] == 0.5
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        assert s.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) is True
        assert s.get_option("SO_TYPE") == socket.SOCK_STREAM
        c = condition_of(lambda: s.set_option("SO_TYPE", 1))
        assert c.kind == "unsupported"
    finally:
        s.close()
