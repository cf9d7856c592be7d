package org.trickbench.core.seed;

import ai.djl.engine.Engine;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Randomness derived from a run's seed. Every random choice takes a generator for a named purpose
 * ({@code forPurpose("split")}, {@code forPurpose("sampling")}), so adding a random call for one
 * purpose never shifts another purpose's stream. Device-side randomness (weight initialisation,
 * augmentation, masks) comes from libtorch's generator, which {@link #onEngine} seeds — the only place
 * that touches it in training.
 *
 * <p>That generator is one per process, and several trainings may run at once ({@code --parallel}):
 * a training that seeded it once and then drew from it would see the other trainings' draws
 * interleaved with its own, in an order that changes from one invocation to the next. So every
 * device-side draw takes the generator for itself and seeds it for its own purpose first; a run's
 * random numbers then depend on its seed and purposes only, never on what else the process runs.
 */
public record Seeds(long seed) {
    /** Held while libtorch's generator is seeded and drawn from for one purpose. */
    private static final Object ENGINE_GENERATOR = new Object();

    /** A fresh generator whose stream depends only on the run seed and the purpose label. */
    public SplittableRandom forPurpose(String purpose) {
        return new SplittableRandom(derive(purpose));
    }

    /** A derived 64-bit value: the first eight bytes of SHA-256(seed ‖ purpose). */
    public long derive(String purpose) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(ByteBuffer.allocate(Long.BYTES).putLong(seed).array());
            sha.update(purpose.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(sha.digest()).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    /** Child seeds for a sub-task (e.g. the k-th genotype of a random baseline). */
    public Seeds child(String purpose) {
        return new Seeds(derive(purpose));
    }

    /**
     * Runs {@code draws} with libtorch's generator held by this thread and seeded for the purpose, so
     * no other training's draws can come between the seeding and these. Keep the work inside to the
     * draws themselves: every other training waits for them. The purpose must differ for every call of
     * one run (e.g. carry the step), or two calls draw the same numbers.
     */
    public <T> T onEngine(String purpose, Supplier<T> draws) {
        synchronized (ENGINE_GENERATOR) {
            seedEngine(purpose);
            return draws.get();
        }
    }

    /**
     * Seeds DJL's and libtorch's global generators for a purpose, for code that owns the process (tests,
     * single-threaded tools); training draws through {@link #onEngine}.
     */
    public void seedEngine(String purpose) {
        Engine.getInstance().setRandomSeed((int) (derive("engine:" + purpose) & 0x7fffffff));
    }
}
