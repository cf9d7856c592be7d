package org.trickbench.core.seed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SeedsTest {
    /**
     * What seed 42 draws for "sampling" and "split": the derived seed is the first eight bytes of
     * SHA-256(42 as eight big-endian bytes ‖ the purpose in UTF-8), checked independently of this code
     * (Python's hashlib); the draws are SplittableRandom's from it. Stored runs were drawn with these
     * streams, so a change here changes every run's random choices under unchanged run ids.
     */
    private static final long SAMPLING_SEED = -4198771371374637502L;
    private static final long[] SAMPLING = {8751628457855059376L, 5292346079377525139L, 7995462967422865056L};
    private static final long SPLIT_SEED = -6979518264648475631L;
    private static final long[] SPLIT = {6917762935403986537L, -2916668527539394063L, 5519722621765162502L};

    private static long[] draw3(SplittableRandom r) {
        return new long[] {r.nextLong(), r.nextLong(), r.nextLong()};
    }

    @Test
    void eachPurposeDrawsItsFixedStream() {
        Seeds s = new Seeds(42);
        assertEquals(SAMPLING_SEED, s.derive("sampling"));
        assertEquals(SPLIT_SEED, s.derive("split"));
        assertArrayEquals(SAMPLING, draw3(s.forPurpose("sampling")));
        assertArrayEquals(SPLIT, draw3(s.forPurpose("split")));
    }

    /**
     * The stream-shift bug: a purpose's stream depending on what was drawn before it, for another purpose
     * or by a consumer added later (a counter of calls, streams numbered in the order purposes are first asked
     * for, one generator shared by every purpose). Here every
     * other purpose is asked for and drawn from first, in the same Seeds, and a new consumer comes between
     * the two; the existing purposes must still draw exactly their fixed values.
     */
    @Test
    void aNewConsumerOrAnotherPurposesDrawsDoNotShiftAStream() {
        Seeds s = new Seeds(42);
        draw3(s.forPurpose("a-consumer-added-later"));
        s.child("k0").forPurpose("sampling").nextLong();
        assertArrayEquals(SPLIT, draw3(s.forPurpose("split")));
        draw3(s.forPurpose("another-new-consumer"));
        assertArrayEquals(SAMPLING, draw3(s.forPurpose("sampling")));
        assertArrayEquals(SAMPLING, draw3(s.forPurpose("sampling")), "asking again restarts the stream");
        assertArrayEquals(SPLIT, draw3(s.forPurpose("split")));
    }

    @Test
    void seedsAndPurposesGiveDifferentStreams() {
        assertNotEquals(SAMPLING[0], new Seeds(43).forPurpose("sampling").nextLong());
        assertNotEquals(SAMPLING[0], new Seeds(42).forPurpose("sampling ").nextLong());
    }

    @Test
    void childSeedsDifferByPurposeAndAreFixed() {
        Seeds s = new Seeds(42);
        assertNotEquals(s.child("k0").seed(), s.child("k1").seed());
        assertEquals(new Seeds(-685263091263689543L), s.child("k0"), "SHA-256(42 ‖ \"k0\"), as for purposes");
    }
}
