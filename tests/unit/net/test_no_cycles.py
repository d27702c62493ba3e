"""A connection's objects are freed by reference counting when it is closed: no
reference cycle through the socket (the core socket's back-pointer to its dialect object
is weak), so a busy server leaves nothing for the cycle collector."""
from __future__ import annotations

import gc

import pytest

from polysock import toplevel as T
from polysock.net import sockets
from tests.fakes.helpers import cyclic_garbage_kinds

_ONE_CONNECTION = {
    "scm": """(require 'socket)
(define server (socket:bind (make-stream-socket af_inet) 0))
(socket:listen server 8)
(define port (socket-name:port-number (getsockname server)))
(define (once)
  (let* ((c (socket:connect (make-stream-socket af_inet) (inet:string->address "127.0.0.1") port))
         (conn (socket:accept server)))
    (write-char #\\a conn) (close-port conn)
    (let ((ch (read-char c))) (close-port c) ch)))""",
    "scsh": """
(define server (create-socket protocol-family/internet socket-type/stream))
(bind-socket server (internet-address->socket-address internet-address/loopback 0))
(listen-socket server 8)
(define port (receive (h p) (socket-address->internet-address (socket-local-address server)) p))
(define (once)
  (let* ((c (socket-connect protocol-family/internet socket-type/stream "127.0.0.1" port))
         (conn (receive (conn addr) (accept-connection server) conn)))
    (write-char #\\a (socket:outport conn)) (close-socket conn)
    (let ((ch (read-char (socket:inport c)))) (close-socket c) ch)))""",
    "guile": """
(define server (socket PF_INET SOCK_STREAM 0))
(bind server AF_INET INADDR_LOOPBACK 0)
(listen server 8)
(define port (sockaddr:port (getsockname server)))
(define (once)
  (let ((c (socket PF_INET SOCK_STREAM 0)))
    (connect c AF_INET INADDR_LOOPBACK port)
    (let ((conn (car (accept server))))
      (write-char #\\a conn) (close-port conn)
      (let ((ch (read-char c))) (close-port c) ch))))""",
}


@pytest.mark.parametrize("dialect", sorted(_ONE_CONNECTION))
def test_a_closed_connection_leaves_no_cycle(dialect):
    T.load_dialect(dialect)
    env = T.make_environment(dialect)
    T.eval_string(_ONE_CONNECTION[dialect], env)
    assert T.eval_string("(once)", env) == "a"        # warm: everything imported and compiled

    def three() -> None:
        for _ in range(3):
            assert T.eval_string("(once)", env) == "a"
    kinds = cyclic_garbage_kinds(three)
    assert not kinds & {"CoreSocket", "SocketHalves", "SocketRaw", "ScmSocket", "ScshSocket",
                        "GuileSocket", "BidirectionalPort", "TextualInputPort", "TextualOutputPort"}


def test_the_open_socket_registry_follows_open_and_close():
    a, b = sockets.CoreSocket.pair()
    try:
        assert a in sockets.open_sockets() and b in sockets.open_sockets()
        a.close()
        assert a not in sockets.open_sockets() and b in sockets.open_sockets()
    finally:
        a.close()
        b.close()
    assert b not in sockets.open_sockets()


def test_the_owner_back_pointer_is_weak():
    T.load_dialect("scm")
    env = T.make_environment("scm")
    s = T.eval_string("(require 'socket) (make-stream-socket af_inet)", env)
    core = s.sock
    assert core.owner() is s
    T.eval_string("(close-port (make-stream-socket af_inet))", env)
    del s
    gc.collect()
    assert core.owner() is None
