from polysock.hub import clock, hub, scheduler


def test_real_clock_is_default_and_monotonic() -> None:
    c = clock.get_clock()
    assert c.real
    a = clock.monotonic()
    b = clock.monotonic()
    assert b >= a
    assert abs(clock.time() - __import__("time").time()) < 1.0


def test_manual_clock_moves_only_when_told() -> None:
    m = clock.ManualClock(start=10.0, wall=500.0)
    old = clock.set_clock(m)
    try:
        assert clock.monotonic() == 10.0
        assert clock.time() == 500.0
        m.advance(2.5)
        assert clock.monotonic() == 12.5
        assert clock.time() == 502.5
    finally:
        clock.set_clock(old)


def test_manual_clock_autojumps_sleeps() -> None:
    m = clock.ManualClock()
    clock.set_clock(m)
    start = m.now
    order = []

    def sleeper(n: float) -> None:
        hub.sleep(n)
        order.append((n, m.now - start))

    ts = [scheduler.spawn(lambda n=n: sleeper(n)) for n in (300.0, 100.0, 200.0)]
    hub.sleep(1000.0)      # an hour of virtual time passes instantly
    assert order == [(100.0, 100.0), (200.0, 200.0), (300.0, 300.0)]
    assert m.now - start == 1000.0
    assert all(t.state == scheduler.TERMINATED for t in ts)


def test_manual_clock_timeout() -> None:
    import socket
    m = clock.ManualClock()
    clock.set_clock(m)
    a, b = socket.socketpair()
    a.setblocking(False)
    try:
        start = m.now
        try:
            hub.wait_readable(a.fileno(), clock.monotonic() + 30.0)
        except hub.Timeout:
            pass
        else:
            raise AssertionError("no timeout")
        assert m.now - start == 30.0
    finally:
        a.close()
        b.close()
