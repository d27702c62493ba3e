"""fib-mutual: naive Fibonacci split over two mutually recursive functions."""
size = 30  # @size quick=16


def fib_even(n: int) -> int:
    """Fibonacci step that recurses through fib_odd."""
    if n < 2:
        return n
    return fib_odd(n - 1) + fib_odd(n - 2)


def fib_odd(n: int) -> int:
    """Fibonacci step that recurses through fib_even."""
    if n < 2:
        return n
    return fib_even(n - 1) + fib_even(n - 2)


print(fib_even(size))
