package dev.rewind.protocol;

/**
 * One step of a long operation, as LSP's {@code $/progress} carries it.
 *
 * @param token      names the operation; the same for its begin, reports and end
 * @param kind       {@code "begin"}, {@code "report"} or {@code "end"}
 * @param message    what is being done now
 * @param percentage 0 to 100, or null when unknown
 */
public record ProgressParams(String token, String kind, String message, Integer percentage) {
}
