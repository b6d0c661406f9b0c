package dev.rewind.backend.checkpoint;

/** Why a checkpoint was taken. Only manual ones survive the memory budget. */
public enum CheckpointReason {
    MANUAL, BREAKPOINT, STOP, PERIODIC;

    public boolean automatic() {
        return this != MANUAL;
    }
}
