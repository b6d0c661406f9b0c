package dev.rewind.backend.linux;

/**
 * A system call failed. Carries the call's name and errno, so that callers can tell
 * "no such process" from "permission denied" without parsing text.
 */
public final class LinuxException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** errno values the engine tests for (asm-generic/errno-base.h, errno.h). */
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EEXIST = 17;
    public static final int EINVAL = 22;
    public static final int ECHILD = 10;
    public static final int ENOSYS = 38;
    public static final int EIO = 5;

    private final String call;
    private final int errno;

    public LinuxException(String call, int errno) {
        super(call + " failed: " + describe(errno) + " (errno " + errno + ")");
        this.call = call;
        this.errno = errno;
    }

    public LinuxException(String call, int errno, String detail) {
        super(call + " failed: " + describe(errno) + " (errno " + errno + "): " + detail);
        this.call = call;
        this.errno = errno;
    }

    public String call() {
        return call;
    }

    public int errno() {
        return errno;
    }

    /** strerror for the errnos met here; the number is always printed too. */
    static String describe(int errno) {
        return switch (errno) {
            case EPERM -> "operation not permitted";
            case ENOENT -> "no such file or directory";
            case ESRCH -> "no such process";
            case EINTR -> "interrupted";
            case ECHILD -> "no child processes";
            case EAGAIN -> "resource temporarily unavailable";
            case ENOMEM -> "out of memory";
            case EACCES -> "permission denied";
            case EEXIST -> "already exists";
            case EINVAL -> "invalid argument";
            case ENOSYS -> "not implemented";
            default -> "error";
        };
    }
}
