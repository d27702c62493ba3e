"""sum: loop summing 1..10^7."""
size = 10000000  # @size quick=100000


def total(n: int) -> int:
    """Sum 1..n in a for loop."""
    acc = 0
    for i in range(1, n + 1):
        acc += i
    return acc


print(total(size))
