"""fib-set: naive Fibonacci whose result goes through reassigned locals."""
size = 30  # @size quick=16


def fib(n: int) -> int:
    """Return the n-th Fibonacci number, accumulating in local variables."""
    r = n
    a = 0
    if n >= 2:
        a = fib(n - 1)
        r = a + fib(n - 2)
    return r


print(fib(size))
