"""tak-firstclass: Takeuchi function recursing through a function argument."""
size = 20  # @size quick=1


def tak(self, x: int, y: int, z: int) -> int:
    """Takeuchi function whose recursive calls go through `self`."""
    if not y < x:
        return z
    return self(self, self(self, x - 1, y, z), self(self, y - 1, z, x),
                self(self, z - 1, x, y))


def repeat(f, n: int) -> int:
    """Sum n runs of f(f, 18, 12, 6)."""
    total = 0
    for _ in range(n):
        total += f(f, 18, 12, 6)
    return total


print(repeat(tak, size))
