package dev.rewind.protocol.image;

import java.util.List;

public record ImageContents(String path, List<ImageEntry> checkpoints) {
}
