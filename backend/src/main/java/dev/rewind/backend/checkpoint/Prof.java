package dev.rewind.backend.checkpoint;
public final class Prof { public static void prof(String w) { SnapshotTaker.prof(w); } }
