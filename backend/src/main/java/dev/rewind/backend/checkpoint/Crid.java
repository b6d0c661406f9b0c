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

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
