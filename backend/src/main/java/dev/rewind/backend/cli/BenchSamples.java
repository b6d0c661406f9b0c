package dev.rewind.backend.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The values one metric took over the runs of one size. Not thread-safe. */
final class BenchSamples {
    private final List<Long> values = new ArrayList<>();

    void add(long value) {
        values.add(value);
    }

    boolean isEmpty() {
        return values.isEmpty();
    }

    long min() {
        return Collections.min(values);
    }

    /** The median; with an even count, the mean of the middle two. */
    double median() {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    }
}
