package dev.rewind.protocol.image;

public record RestoreImageParams(String path, long crid) {
}
