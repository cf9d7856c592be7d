package org.trickbench.core.seed;

import ai.djl.engine.Engine;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.SplittableRandom;

/**
 * Randomness derived from a run's seed. Every random choice takes a generator for a named purpose
 * ({@code forPurpose("split")}, {@code forPurpose("sampling")}), so adding a random call for one
 * purpose never shifts another purpose's stream. Device-side randomness (weight initialisation,
 * augmentation) comes from libtorch's generator, which {@link #seedEngine} seeds — the only place
 * that touches it.
 */
public record Seeds(long seed) {

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
     * Seeds DJL's and libtorch's global generators for a purpose. Called once at the start of every
     * training or search, so its device-side stream is the same however many runs came before.
     */
    public void seedEngine(String purpose) {
        Engine.getInstance().setRandomSeed((int) (derive("engine:" + purpose) & 0x7fffffff));
    }
}
