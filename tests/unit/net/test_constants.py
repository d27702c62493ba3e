import socket

from polysock.net import constants as C


def test_constants_come_from_python_socket():
    for name in ("AF_INET", "AF_INET6", "SOCK_STREAM", "SOCK_DGRAM", "SOL_SOCKET", "SO_REUSEADDR",
                 "IPPROTO_TCP", "TCP_NODELAY", "MSG_PEEK", "AI_PASSIVE", "NI_NUMERICHOST",
                 "EAI_NONAME", "SHUT_RDWR"):
        assert C.get(name) == getattr(socket, name)


def test_pf_names_follow_af_names():
    assert C.get("PF_INET") == socket.AF_INET
    assert C.get("PF_UNIX") == socket.AF_UNIX


def test_missing_constant_is_absent():
    assert C.get("SO_NO_SUCH_OPTION") is None
    assert not C.has("AF_MARTIAN")


def test_every_constant_has_a_known_prefix_and_int_value():
    assert all(k.startswith(C.PREFIXES) or k.startswith("PF_") for k in C.CONSTANTS)
    assert all(type(v) is int for v in C.CONSTANTS.values())


def test_names_and_name_of():
    assert C.names("SHUT_") == {"SHUT_RD": 0, "SHUT_WR": 1, "SHUT_RDWR": 2}
    assert C.name_of("SOCK_", socket.SOCK_DGRAM) == "SOCK_DGRAM"
