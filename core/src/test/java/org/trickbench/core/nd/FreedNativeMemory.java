package org.trickbench.core.nd;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Native memory that Java has let go of, made to hold NaN, so that a backward pass still reading it
 * shows at once instead of at random: full collections free the direct buffers nothing reaches, then
 * small NaN-filled direct buffers take the freed blocks over.
 */
public final class FreedNativeMemory {
    private FreedNativeMemory() {}

    /** Frees what is unreachable and fills freed small blocks with NaN; keep the result until done. */
    public static List<ByteBuffer> poison() throws InterruptedException {
        return poison(3, 50);
    }

    /**
     * The same with {@code collections} full collections, each followed by {@code pauseMillis} for the
     * cleaner to free what it found; one and 20 ms suffice for a forward pass's constants.
     */
    public static List<ByteBuffer> poison(int collections, long pauseMillis) throws InterruptedException {
        for (int i = 0; i < collections; i++) {
            System.gc();
            Thread.sleep(pauseMillis);
        }
        List<ByteBuffer> held = new ArrayList<>();
        for (int i = 0; i < 4096; i++) {
            ByteBuffer b = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
            b.putFloat(0, Float.NaN);
            held.add(b);
        }
        return held;
    }
}
