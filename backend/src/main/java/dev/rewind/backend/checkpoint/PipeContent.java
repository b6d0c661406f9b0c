package dev.rewind.backend.checkpoint;

/**
 * The bytes that sat in a pipe at checkpoint time, and a reader of it in the tree ({@code fd}
 * of {@code pid}) through which they are put back on restart.
 */
public record PipeContent(int pid, int fd, String pipe, byte[] bytes) {
}
