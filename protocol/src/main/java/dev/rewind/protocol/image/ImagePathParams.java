package dev.rewind.protocol.image;

public record ImagePathParams(String path) {
}
