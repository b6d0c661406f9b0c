package dev.rewind.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProtocolVersionTest {
    @Test
    void sameMajorIsCompatible() {
        assertTrue(ProtocolVersion.isCompatible(ProtocolVersion.MAJOR + ".99"));
        assertTrue(ProtocolVersion.isCompatible(ProtocolVersion.text()));
    }

    @Test
    void otherMajorOrGarbageIsNot() {
        assertFalse(ProtocolVersion.isCompatible((ProtocolVersion.MAJOR + 1) + ".0"));
        assertFalse(ProtocolVersion.isCompatible("x.y"));
        assertFalse(ProtocolVersion.isCompatible(null));
    }

    @Test
    void textIsMajorDotMinor() {
        assertEquals(ProtocolVersion.MAJOR + "." + ProtocolVersion.MINOR, ProtocolVersion.text());
    }
}
