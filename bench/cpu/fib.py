"""fib: naive doubly recursive Fibonacci (fib 30 = 832040)."""
size = 30  # @size quick=16


def fib(n: int) -> int:
    """Return the n-th Fibonacci number by naive double recursion."""
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


print(fib(size))
