"""tak: Takeuchi function (tak 18 12 6) = 7, repeated; prints the sum."""
size = 20  # @size quick=1


def tak(x: int, y: int, z: int) -> int:
    """Return the Takeuchi function of x, y, z."""
    if not y < x:
        return z
    return tak(tak(x - 1, y, z), tak(y - 1, z, x), tak(z - 1, x, y))


total = 0
for _ in range(size):
    total += tak(18, 12, 6)
print(total)
