package dev.rewind.protocol.checkpoint;

/**
 * The params of {@code checkpoint/dropped}.
 *
 * @param why {@code "dropped"} (asked for) or {@code "budget"} (thinned by the memory budget)
 */
public record CheckpointDropped(int sessionId, long crid, String why) {
    public static final String DROPPED = "dropped";
    public static final String BUDGET = "budget";
}
