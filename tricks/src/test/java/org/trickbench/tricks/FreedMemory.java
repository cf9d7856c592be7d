package org.trickbench.tricks;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Native memory that Java has let go of, made to hold NaN, so that a computation still reading it
 * shows at once instead of at random. Full collections let the cleaners free the direct buffers that
 * nothing references any more; small direct buffers filled with NaN then take the freed blocks over.
 * DJL builds the constant of {@code NDArray.mul(Number)} and its kin on such a buffer, and autograd
 * saves it for the backward pass without keeping the buffer alive.
 */
final class FreedMemory {
    private static final int BLOCKS = 4096;

    private FreedMemory() {}

    /** Frees what is unreachable and fills freed small blocks with NaN; keep the result until done. */
    static List<ByteBuffer> poison() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            pause(50);
        }
        List<ByteBuffer> held = new ArrayList<>(BLOCKS);
        for (int i = 0; i < BLOCKS; i++) {
            held.add(nanBlock());
        }
        return held;
    }

    /** A thread that frees and poisons memory over and over until closed, to run whole trainings under. */
    static AutoCloseable storm() {
        AtomicBoolean stop = new AtomicBoolean();
        Thread thread = new Thread(() -> {
            ArrayDeque<ByteBuffer> held = new ArrayDeque<>(BLOCKS);
            while (!stop.get()) {
                System.gc();
                for (int i = 0; i < 64; i++) {
                    held.addLast(nanBlock());
                    if (held.size() > BLOCKS) {
                        held.removeFirst();
                    }
                }
                pause(2);
            }
        }, "freed-memory-storm");
        thread.setDaemon(true);
        thread.start();
        return () -> {
            stop.set(true);
            thread.join();
        };
    }

    private static ByteBuffer nanBlock() {
        ByteBuffer b = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
        b.putFloat(0, Float.NaN);
        return b;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
