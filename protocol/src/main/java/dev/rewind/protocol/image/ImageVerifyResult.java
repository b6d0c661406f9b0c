package dev.rewind.protocol.image;

import java.util.List;

/** @param problems what is wrong, one line each; empty when {@code ok} */
public record ImageVerifyResult(String path, boolean ok, List<String> problems) {
}
