"""sum-set: sum 1..10^7, counter and accumulator updated by assignment."""
size = 10000000  # @size quick=100000


def total(n: int) -> int:
    """Sum 1..n with an explicit counter and accumulator."""
    i = 1
    acc = 0
    while i <= n:
        acc += i
        i += 1
    return acc


print(total(size))
