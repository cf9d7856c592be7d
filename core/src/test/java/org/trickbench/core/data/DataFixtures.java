package org.trickbench.core.data;

/** Writes tiny data files in the real on-disk formats, so the loaders are tested against bytes, not mocks. */
final class DataFixtures {
    private DataFixtures() {}

    /** {@code n} bytes {@code seed, seed+1, ...} wrapping at 256, so values above 127 occur. */
    static byte[] ramp(int n, int seed) {
        byte[] bytes = new byte[n];
        for (int i = 0; i < n; i++) {
            bytes[i] = (byte) (seed + i);
        }
        return bytes;
    }
}
