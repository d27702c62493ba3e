"""sort-assoc: hand-written merge sort, then linear key lookups in a pair list."""
size = 30000  # @size quick=600


def random_list(n: int) -> list[int]:
    """Return n pseudo-random integers from a linear congruential generator."""
    x = 12345
    acc = []
    for _ in range(n):
        x = (x * 1103515245 + 12345) % 2147483648
        acc.append(x // 65536)
    acc.reverse()
    return acc


def merge(a: list[int], b: list[int]) -> list[int]:
    """Merge two sorted lists, stable."""
    out = []
    i = j = 0
    while i < len(a) and j < len(b):
        if b[j] < a[i]:
            out.append(b[j])
            j += 1
        else:
            out.append(a[i])
            i += 1
    out.extend(a[i:])
    out.extend(b[j:])
    return out


def merge_sort(xs: list[int]) -> list[int]:
    """Top-down merge sort."""
    if len(xs) < 2:
        return xs[:]
    h = len(xs) // 2
    return merge(merge_sort(xs[:h]), merge_sort(xs[h:]))


def checksum(xs: list[int]) -> int:
    """Position-weighted sum modulo 10^9+7."""
    acc = 0
    for i, x in enumerate(xs, 1):
        acc = (acc + i * x) % 1000000007
    return acc


def key(k: int) -> str:
    """Key string for k."""
    return "key-" + str(k)


def assoc(k: str, table: list[tuple[str, int]]) -> tuple[str, int] | None:
    """First pair of table whose key equals k, or None."""
    for pair in table:
        if pair[0] == k:
            return pair
    return None


def lookups(xs: list[int], table: list[tuple[str, int]], m: int) -> int:
    """Sum the values found for each element's key; -1 for each miss."""
    acc = 0
    for x in xs:
        hit = assoc(key(x % (m + 7)), table)
        acc = acc + hit[1] if hit else acc - 1
    return acc


data = random_list(size)
ordered = merge_sort(data)
table_size = 200
print(ordered[0])
print(ordered[size - 1])
print(checksum(ordered))
print(lookups(data, [(key(k), k * k) for k in range(table_size)], table_size))
