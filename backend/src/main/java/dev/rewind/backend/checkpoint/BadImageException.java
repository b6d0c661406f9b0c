package dev.rewind.backend.checkpoint;

import java.nio.file.Path;

/** An image file that is missing, truncated, not an image, or fails a checksum; says which and where. */
public final class BadImageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BadImageException(Path path, String what) {
        super(path + ": " + what);
    }
}
