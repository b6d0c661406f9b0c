package dev.rewind.backend.checkpoint;

/** The name of one in-memory checkpoint: a positive number, unique within a backend run. */
public record Crid(long value) implements Comparable<Crid> {
    public Crid {
        if (value <= 0) {
            throw new IllegalArgumentException("a crid is a positive number, not " + value);
        }
    }

    @Override
    public int compareTo(Crid o) {
        return Long.compare(value, o.value);
    }

    // equals and hashCode written out: a record's generated ones link a method handle chain the
    // first time they run (~9 ms here, interpreted), and the first checkpoint's answer waited for it.
    @Override
    public boolean equals(Object o) {
        return o instanceof Crid c && c.value == value;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(value);
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
