package dev.rewind.protocol.image;

/**
 * @param parentCrid the checkpoint whose pages this one shares, or null
 * @param bytes      the bytes it takes in the file
 */
public record ImageEntry(long crid, String label, String createdAt, Long parentCrid, long bytes) {
}
