"""fib-firstclass: naive Fibonacci recursing through a function argument."""
size = 30  # @size quick=16


def fib(self, n: int) -> int:
    """Fibonacci whose recursive calls go through the function `self`."""
    if n < 2:
        return n
    return self(self, n - 1) + self(self, n - 2)


print(fib(fib, size))
