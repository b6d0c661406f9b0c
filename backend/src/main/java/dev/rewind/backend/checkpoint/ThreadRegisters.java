package dev.rewind.backend.checkpoint;

import dev.rewind.backend.linux.UserRegs;

/** A stopped thread's general registers and its XSAVE area, read together. */
public record ThreadRegisters(UserRegs general, byte[] xstate) {
}
