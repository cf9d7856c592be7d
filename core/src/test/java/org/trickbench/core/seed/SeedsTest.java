package org.trickbench.core.seed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SeedsTest {
    @Test
    void purposesHaveIndependentReproducibleStreams() {
        Seeds s = new Seeds(42);
        SplittableRandom a = s.forPurpose("sampling");
        long first = a.nextLong();
        // Drawing from another purpose does not shift the first purpose's stream.
        s.forPurpose("split").nextLong();
        assertEquals(first, new Seeds(42).forPurpose("sampling").nextLong());
        assertNotEquals(first, s.forPurpose("split").nextLong());
        assertNotEquals(first, new Seeds(43).forPurpose("sampling").nextLong());
    }

    @Test
    void childSeedsDifferByPurpose() {
        Seeds s = new Seeds(1);
        assertNotEquals(s.child("k0").seed(), s.child("k1").seed());
        assertEquals(s.child("k0"), new Seeds(1).child("k0"));
    }
}
