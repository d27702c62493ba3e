"""strings: build words from numbers, join them into lines, reverse lines."""
size = 200000  # @size quick=2000


def word(i: int) -> str:
    """Spell the digits of i as the letters a..j."""
    return "".join([chr(ord(c) + 49) for c in str(i)])


def run(n: int) -> tuple[int, str, str]:
    """Build n words into lines of 16; return total length, last line, reversed."""
    line = ""
    total = 0
    last = ""
    rev = ""
    for i in range(n):
        line = line + word(i) + " "
        if i % 16 == 15:
            total += len(line)
            last = line
            rev = line[::-1]
            line = ""
    return total, last, rev


total, last, rev = run(size)
print(total)
print(last)
print(rev)
